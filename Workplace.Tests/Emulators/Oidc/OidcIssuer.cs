using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Emulators.Oidc;

/// <summary>How a minted token deviates from a good one.</summary>
public enum TokenFlaw
{
    None,
    /// <summary><c>alg: none</c>, no signature.</summary>
    AlgNone,
    /// <summary>HS256 with the issuer's public key (PEM text) as the HMAC secret: the algorithm-confusion attack.</summary>
    HmacWithPublicKey,
    /// <summary>Signed by the current key, then the signature altered.</summary>
    BadSignature,
    /// <summary>Signed by a key the issuer never publishes.</summary>
    UnpublishedKey,
}

/// <summary>What to put in a token. Null fields get the issuer's defaults.</summary>
public sealed record TokenSpec
{
    public string Subject { get; init; } = "user-1";
    public string? Audience { get; init; }
    public string? Issuer { get; init; }
    /// <summary>Goes into <c>scope</c>, space-separated; null leaves the claim out.</summary>
    public IReadOnlyList<string>? Scopes { get; init; }
    public IReadOnlyDictionary<string, object> Claims { get; init; } = new Dictionary<string, object>();
    public DateTimeOffset? NotBefore { get; init; }
    public DateTimeOffset? Expires { get; init; }
    public string Algorithm { get; init; } = SecurityAlgorithms.RsaSha256;
    public TokenFlaw Flaw { get; init; }
}

/// <summary>
/// An OIDC issuer on a loopback port: discovery at <c>{Issuer}/.well-known/openid-configuration</c>, a JWKS with RSA and
/// EC keys, key rotation on demand, and tokens minted with any claims and any of the flaws a resource server must refuse.
/// </summary>
public sealed class OidcIssuer : IAsyncDisposable
{
    private readonly LoopbackServer _server;
    private readonly Lock _gate = new();
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private List<SecurityKey> _published;
    private RsaSecurityKey _rsa;
    private readonly ECDsaSecurityKey _ec;
    private int _jwksRequests;
    private int _discoveryRequests;

    private OidcIssuer(LoopbackServer server, string issuer, string defaultAudience)
    {
        _server = server;
        Issuer = issuer;
        DefaultAudience = defaultAudience;
        _rsa = NewRsaKey();
        _ec = new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        _ec.KeyId = Base64UrlEncoder.Encode(_ec.ComputeJwkThumbprint());
        _published = [_rsa, _ec];
    }

    /// <summary>The <c>iss</c> of minted tokens and the base of the discovery address.</summary>
    public string Issuer { get; }

    public string Origin => new Uri(Issuer).GetLeftPart(UriPartial.Authority);

    public string DefaultAudience { get; }

    public string DiscoveryUrl => Issuer + "/.well-known/openid-configuration";

    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    public int DiscoveryRequests => Volatile.Read(ref _discoveryRequests);

    /// <summary>The current RSA key's id.</summary>
    public string CurrentKeyId => _rsa.KeyId;

    /// <summary>Starts on a free loopback port; <paramref name="issuerPath"/> (e.g. <c>/v1/apps/P2abc</c>) is appended to its origin.</summary>
    public static async Task<OidcIssuer> StartAsync(string defaultAudience, string issuerPath = "")
    {
        // The issuer's address is its port, known only once the server is up: the routes read the issuer when called, not now.
        OidcIssuer? issuer = null;
        var server = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet(issuerPath + "/.well-known/openid-configuration", () =>
            {
                Interlocked.Increment(ref issuer!._discoveryRequests);
                return Results.Text(issuer.Discovery().ToJsonString(), "application/json");
            });
            app.MapGet("/jwks.json", () =>
            {
                Interlocked.Increment(ref issuer!._jwksRequests);
                return Results.Text(issuer.Jwks().ToJsonString(), "application/json");
            });
        });
        issuer = new OidcIssuer(server, server.BaseAddress.GetLeftPart(UriPartial.Authority) + issuerPath, defaultAudience);
        return issuer;
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

    public string Mint(TokenSpec? spec = null)
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
            Issuer = spec.Issuer ?? Issuer,
            Audience = spec.Audience ?? DefaultAudience,
            IssuedAt = notBefore.UtcDateTime,
            NotBefore = notBefore.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = claims,
        };
        switch (spec.Flaw)
        {
            case TokenFlaw.AlgNone:
                return Unsigned(descriptor, new JsonObject { ["alg"] = "none", ["typ"] = "JWT" }) + ".";
            case TokenFlaw.HmacWithPublicKey:
            {
                var signingInput = Unsigned(descriptor, new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT", ["kid"] = _rsa.KeyId });
                var secret = Encoding.ASCII.GetBytes(_rsa.Rsa.ExportSubjectPublicKeyInfoPem());
                return signingInput + "." + Base64UrlEncoder.Encode(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(signingInput)));
            }
            case TokenFlaw.BadSignature:
            {
                var good = Sign(descriptor, spec.Algorithm);
                var dot = good.LastIndexOf('.');
                var signature = Base64UrlEncoder.DecodeBytes(good[(dot + 1)..]);
                signature[0] ^= 0xFF;
                return good[..(dot + 1)] + Base64UrlEncoder.Encode(signature);
            }
            case TokenFlaw.UnpublishedKey:
                descriptor.SigningCredentials = new SigningCredentials(NewRsaKey(), SecurityAlgorithms.RsaSha256);
                return _handler.CreateToken(descriptor);
            default:
                return Sign(descriptor, spec.Algorithm);
        }
    }

    private string Sign(SecurityTokenDescriptor descriptor, string algorithm)
    {
        SecurityKey key;
        lock (_gate)
        {
            key = algorithm.StartsWith("ES", StringComparison.Ordinal) ? _ec : _rsa;
        }
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

    private JsonObject Discovery() => new()
    {
        ["issuer"] = Issuer,
        ["jwks_uri"] = Origin + "/jwks.json",
        ["authorization_endpoint"] = Issuer + "/authorize",
        ["token_endpoint"] = Issuer + "/token",
        ["response_types_supported"] = new JsonArray("code"),
        ["subject_types_supported"] = new JsonArray("public"),
        ["id_token_signing_alg_values_supported"] = new JsonArray("RS256", "ES256"),
        ["code_challenge_methods_supported"] = new JsonArray("S256"),
    };

    private JsonObject Jwks()
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

    private static RsaSecurityKey NewRsaKey()
    {
        var key = new RsaSecurityKey(RSA.Create(2048));
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        return key;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
