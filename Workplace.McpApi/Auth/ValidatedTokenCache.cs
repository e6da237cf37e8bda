using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Workplace.McpApi.Auth;

/// <summary>
/// JwtBearer validates the same bearer token on every request of an agent's session: the signature check and the claims
/// it builds were a tenth of a cached search's CPU. A token that validated is answered from here until it expires, for
/// as long as the very key object that verified it is still one the handler would verify with. A key rotated out of the
/// issuer's JWKS (or any refresh of it) therefore stops its tokens at once, exactly as without this cache, and a token
/// that failed is never remembered. IdentityModel and JwtBearer have no such cache.
/// </summary>
public sealed class ValidatedTokenCache(TokenHandler inner, TimeProvider time) : TokenHandler
{
    // Bounded by starting over, which costs one full validation per token again and nothing else.
    private const int MaxTokens = 4_096;
    private readonly ConcurrentDictionary<string, TokenValidationResult> _validated = new(StringComparer.Ordinal);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (_validated.TryGetValue(token, out var known))
        {
            // Served only before exp, without the clock skew a full validation allows: past exp the token is validated
            // again, and that validation decides.
            if (time.GetUtcNow().UtcDateTime < known.SecurityToken.ValidTo && await StillTrustedAsync(known, validationParameters))
            {
                return known;
            }
            _validated.TryRemove(token, out _);
        }

        var result = await inner.ValidateTokenAsync(token, validationParameters);
        if (result is { IsValid: true, SecurityToken.SigningKey: not null })
        {
            if (_validated.Count >= MaxTokens)
            {
                _validated.Clear();
            }
            _validated[token] = result;
        }
        return result;
    }

    public override SecurityToken ReadToken(string token) => inner.ReadToken(token);

    // The keys a validation would use now: the issuer's current JWKS when JwtBearer hands IdentityModel the
    // configuration manager (it caches the document; no request is made), otherwise the keys set on the parameters.
    private static async ValueTask<bool> StillTrustedAsync(TokenValidationResult known, TokenValidationParameters parameters)
    {
        var key = known.SecurityToken.SigningKey;
        if (ReferenceEquals(parameters.IssuerSigningKey, key) || parameters.IssuerSigningKeys?.Any(k => ReferenceEquals(k, key)) == true)
        {
            return true;
        }
        if (parameters.ConfigurationManager is null)
        {
            return false;
        }
        try
        {
            var configuration = await parameters.ConfigurationManager.GetBaseConfigurationAsync(CancellationToken.None);
            return configuration.SigningKeys.Any(k => ReferenceEquals(k, key));
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// Puts the cache in front of the handler JwtBearer would use. The system clock, because IdentityModel's lifetime
    /// check reads it too.
    /// </summary>
    public static void Install(IList<TokenHandler> handlers)
    {
        var jwt = handlers.OfType<JsonWebTokenHandler>().Single();
        handlers.Clear();
        handlers.Add(new ValidatedTokenCache(jwt, TimeProvider.System));
    }
}
