using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Workplace.Emulators.Oidc;

/// <summary>
/// The emulated issuer's signing keys (an RSA key that rotates on demand, and an EC key), the JWKS that publishes them,
/// the discovery document, and tokens signed with them, with any claims and any of the flaws a resource server must refuse.
/// </summary>
public sealed class OidcKeys
{
    private readonly Lock _gate = new();
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly ECDsaSecurityKey _ec;
    private List<SecurityKey> _published;
    private RsaSecurityKey _rsa;

    public OidcKeys()
    {
        _rsa = NewRsaKey();
        _ec = new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        _ec.KeyId = Base64UrlEncoder.Encode(_ec.ComputeJwkThumbprint());
        _published = [_rsa, _ec];
    }

    /// <summary>The current RSA key's id.</summary>
    public string CurrentKeyId
    {
        get
        {
            lock (_gate)
            {
                return _rsa.KeyId;
            }
        }
    }

    /// <summary>A new RSA key signs from now on; the old one stays published unless <paramref name="keepOldKey"/> is false.</summary>
    public void RotateKey(bool keepOldKey = false)
    {
        lock (_gate)
        {
            var old = _rsa;
            _rsa = NewRsaKey();
            _published = keepOldKey ? [_rsa, old, _ec] : [_rsa, _ec];
        }
    }

    /// <summary>A token from <paramref name="issuer"/>; <paramref name="spec"/> overrides the issuer, audience and times.</summary>
    public string Mint(string issuer, string defaultAudience, TokenSpec? spec = null)
    {
        spec ??= new TokenSpec();
        var now = DateTimeOffset.UtcNow;
        var notBefore = spec.NotBefore ?? now.AddSeconds(-5);
        var expires = spec.Expires ?? now.AddMinutes(10);
        var claims = new Dictionary<string, object>(spec.Claims)
        {
            [JwtRegisteredClaimNames.Sub] = spec.Subject,
            [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
        };
        if (spec.Scopes is not null)
        {
            claims["scope"] = string.Join(' ', spec.Scopes);
        }
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = spec.Issuer ?? issuer,
            Audience = spec.Audience ?? defaultAudience,
            IssuedAt = notBefore.UtcDateTime,
            NotBefore = notBefore.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = claims,
        };
        RsaSecurityKey rsa;
        lock (_gate)
        {
            rsa = _rsa;
        }
        switch (spec.Flaw)
        {
            case TokenFlaw.AlgNone:
                return Unsigned(descriptor, new JsonObject { ["alg"] = "none", ["typ"] = "JWT" }) + ".";
            case TokenFlaw.HmacWithPublicKey:
            {
                var signingInput = Unsigned(descriptor, new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT", ["kid"] = rsa.KeyId });
                var secret = Encoding.ASCII.GetBytes(rsa.Rsa.ExportSubjectPublicKeyInfoPem());
                return signingInput + "." + Base64UrlEncoder.Encode(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(signingInput)));
            }
            case TokenFlaw.BadSignature:
            {
                var good = Sign(descriptor, spec.Algorithm, rsa);
                var dot = good.LastIndexOf('.');
                var signature = Base64UrlEncoder.DecodeBytes(good[(dot + 1)..]);
                signature[0] ^= 0xFF;
                return good[..(dot + 1)] + Base64UrlEncoder.Encode(signature);
            }
            case TokenFlaw.UnpublishedKey:
                descriptor.SigningCredentials = new SigningCredentials(NewRsaKey(), SecurityAlgorithms.RsaSha256);
                return _handler.CreateToken(descriptor);
            default:
                return Sign(descriptor, spec.Algorithm, rsa);
        }
    }

    /// <summary>The OpenID Provider metadata of <paramref name="issuer"/>, whose keys are at <paramref name="jwksUri"/>.</summary>
    public static JsonObject Discovery(string issuer, string jwksUri) => new()
    {
        ["issuer"] = issuer,
        ["jwks_uri"] = jwksUri,
        ["authorization_endpoint"] = issuer + "/authorize",
        ["token_endpoint"] = issuer + "/token",
        ["response_types_supported"] = new JsonArray("code"),
        ["subject_types_supported"] = new JsonArray("public"),
        ["id_token_signing_alg_values_supported"] = new JsonArray("RS256", "ES256"),
        ["code_challenge_methods_supported"] = new JsonArray("S256"),
    };

    /// <summary>The published public keys, as a JWK Set.</summary>
    public JsonObject Jwks()
    {
        List<SecurityKey> keys;
        lock (_gate)
        {
            keys = _published;
        }
        var array = new JsonArray();
        foreach (var key in keys)
        {
            var jwk = key is RsaSecurityKey rsa
                ? JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.Rsa.ExportParameters(false)) { KeyId = rsa.KeyId })
                : JsonWebKeyConverter.ConvertFromECDsaSecurityKey((ECDsaSecurityKey)key);
            var node = new JsonObject { ["kty"] = jwk.Kty, ["kid"] = jwk.Kid, ["use"] = "sig" };
            if (jwk.Kty == "RSA")
            {
                node["alg"] = "RS256";
                node["n"] = jwk.N;
                node["e"] = jwk.E;
            }
            else
            {
                node["alg"] = "ES256";
                node["crv"] = jwk.Crv;
                node["x"] = jwk.X;
                node["y"] = jwk.Y;
            }
            array.Add(node);
        }
        return new JsonObject { ["keys"] = array };
    }

    private string Sign(SecurityTokenDescriptor descriptor, string algorithm, RsaSecurityKey rsa)
    {
        SecurityKey key = algorithm.StartsWith("ES", StringComparison.Ordinal) ? _ec : rsa;
        descriptor.SigningCredentials = new SigningCredentials(key, algorithm);
        return _handler.CreateToken(descriptor);
    }

    private static string Unsigned(SecurityTokenDescriptor descriptor, JsonObject header)
    {
        var payload = new JsonObject
        {
            ["iss"] = descriptor.Issuer,
            ["aud"] = descriptor.Audience,
            ["iat"] = EpochTime.GetIntDate(descriptor.IssuedAt!.Value),
            ["nbf"] = EpochTime.GetIntDate(descriptor.NotBefore!.Value),
            ["exp"] = EpochTime.GetIntDate(descriptor.Expires!.Value),
        };
        foreach (var (name, value) in descriptor.Claims)
        {
            payload[name] = JsonSerializer.SerializeToNode(value);
        }
        return Base64UrlEncoder.Encode(header.ToJsonString()) + "." + Base64UrlEncoder.Encode(payload.ToJsonString());
    }

    private static RsaSecurityKey NewRsaKey()
    {
        var key = new RsaSecurityKey(RSA.Create(2048));
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        return key;
    }
}
