using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Workplace.ServiceDefaults.ConnectorApi;

/// <summary>The validated caller, as mcpapi vouches for it to connectors.</summary>
// UserId: A stable, opaque key of the user (issuer and subject hashed): grants are stored under it.
// Email: The user's email from their token, if it has one: a provider's sign-in hint, and the subject a
// domain-wide delegation acts as.
public sealed record InternalPrincipal(string UserId, IReadOnlySet<string> GrantedSources, string? Email = null);

// The user's own token never leaves mcpapi. For each internal call mcpapi signs a short-lived assertion
// (HS256 with a key both services get from configuration `Internal:SigningKey`, base64, >= 32 bytes)
// that names the validated user and the sources the user's token grants. Connectors refuse any call
// without a valid one.
public sealed class InternalAssertion
{
    public const string Issuer = "workplace-mcpapi";
    public const string Audience = "workplace-connectors";
    private const string SourcesClaim = "sources";
    private const string EmailClaim = "email";
    // One call's life: the connectors client gives up after 10 s in all (retries included), so a longer-lived
    // assertion would only widen the window in which a captured one could be replayed.
    private static readonly TimeSpan s_lifetime = TimeSpan.FromSeconds(15);

    private readonly SymmetricSecurityKey _key;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly TimeProvider _time;

    public InternalAssertion(string base64Key, TimeProvider? time = null)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64Key);
        }
        catch (FormatException)
        {
            throw new ArgumentException("Internal:SigningKey must be base64 (for example: openssl rand -base64 32).", nameof(base64Key));
        }
        if (bytes.Length < 32)
        {
            throw new ArgumentException("Internal:SigningKey must hold at least 32 bytes (for example: openssl rand -base64 32).", nameof(base64Key));
        }
        _key = new SymmetricSecurityKey(bytes);
        _time = time ?? TimeProvider.System;
    }

    public string Create(InternalPrincipal principal)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = principal.UserId,
            [SourcesClaim] = principal.GrantedSources.Order(StringComparer.Ordinal).ToArray(),
        };
        if (principal.Email is { } email)
        {
            claims[EmailClaim] = email;
        }
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + s_lifetime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <returns>The principal, or null when the assertion is missing, forged, expired or for someone else.</returns>
    public async Task<InternalPrincipal?> ValidateAsync(string? assertion)
    {
        if (string.IsNullOrEmpty(assertion))
        {
            return null;
        }
        var result = await _handler.ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            IssuerSigningKey = _key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ClockSkew = TimeSpan.FromSeconds(5),
            LifetimeValidator = (notBefore, expires, _, parameters) =>
                expires is { } e && e + parameters.ClockSkew >= _time.GetUtcNow().UtcDateTime
                && (notBefore is not { } nb || nb - parameters.ClockSkew <= _time.GetUtcNow().UtcDateTime),
        });
        if (!result.IsValid)
        {
            return null;
        }
        var identity = result.ClaimsIdentity;
        var sub = identity.FindFirst(JwtRegisteredClaimNames.Sub)?.Value;
        if (string.IsNullOrEmpty(sub))
        {
            return null;
        }
        var sources = identity.FindAll(SourcesClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return new InternalPrincipal(sub, sources, identity.FindFirst(EmailClaim)?.Value);
    }

    public static string? FromAuthorizationHeader(string? header) =>
        header is not null && header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..].Trim() : null;

}
