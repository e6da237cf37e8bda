using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Workplace.McpApi.Sources;
using Workplace.ServiceDefaults.ConnectorApi;

namespace Workplace.McpApi.Auth;

/// <summary>Turns a validated token into sources, and refuses requests naming a source the token lacks.</summary>
internal sealed partial class SourceAccess(AuthSettings settings, BearerChallenge challenge, AuthMetrics metrics, ILogger<SourceAccess> logger) : ISourceAccess
{
    // Scopes of this resource a step-up challenge keeps, so re-consenting never drops what the client already had.
    private static readonly IReadOnlyList<string> s_knownScopes =
        [.. AuthSettings.ReadScopes, "workplace:write:comments", "admin:analytics"];

    // Every request asks for its caller's key, some several times (rate limit, cache key): hashed once per caller.
    // Bounded by starting over, which costs a hash per caller again and nothing else.
    private const int MaxKnownUsers = 10_000;
    private readonly ConcurrentDictionary<(string Issuer, string Subject), string> _userKeys = new();

    public string UserKey(ClaimsPrincipal user)
    {
        var sub = user.FindFirst("sub")?.Value ?? throw new InvalidOperationException("UserKey needs an authenticated user with a 'sub' claim.");
        var iss = user.FindFirst("iss")?.Value ?? "";
        if (_userKeys.TryGetValue((iss, sub), out var known))
        {
            return known;
        }
        if (_userKeys.Count >= MaxKnownUsers)
        {
            _userKeys.Clear();
        }
        return _userKeys[(iss, sub)] = HashedUserKey(iss, sub);
    }

    // Issuer and subject together: two issuers may hand out the same subject to different people. Hashed so
    // cache and rate-limit keys carry no personal identifier.
    private static string HashedUserKey(string iss, string sub)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(iss + "\n" + sub));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    public IReadOnlySet<string> GrantedSources(ClaimsPrincipal user)
    {
        var scopes = Scopes(user);
        return SourceIds.All.Where(s => scopes.Contains(SourceIds.ReadScope(s))).ToHashSet(StringComparer.Ordinal);
    }

    // The email is a provider's sign-in hint and the subject a domain-wide delegation acts as.
    public InternalPrincipal Principal(ClaimsPrincipal user) =>
        new(UserKey(user), GrantedSources(user), user.FindFirst("email")?.Value);

    public IResult? Authorize(HttpContext context, IReadOnlyCollection<string> requestedSources)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requestedSources);
        if (context.User.Identity?.IsAuthenticated != true)
        {
            // The fallback policy makes this unreachable for routed endpoints; answer as the spec does anyway.
            return challenge.Unauthorized(reason: null);
        }
        var held = Scopes(context.User);
        // Unknown source ids are the caller's input error, which the tool's own validation reports.
        var missing = requestedSources.Where(s => SourceIds.All.Contains(s) && !held.Contains(SourceIds.ReadScope(s)))
            .Distinct(StringComparer.Ordinal).Select(SourceIds.ReadScope).ToHashSet(StringComparer.Ordinal);
        if (missing.Count == 0)
        {
            return null;
        }
        var needed = s_knownScopes.Where(s => held.Contains(s) || missing.Contains(s)).ToList();
        var missingInOrder = s_knownScopes.Where(missing.Contains).ToList();
        foreach (var scope in missingInOrder)
        {
            metrics.ScopeRefused(scope);
        }
        var userKey = UserKey(context.User);
        LogScopeRefused(logger, userKey, missingInOrder);
        return challenge.InsufficientScope(needed, missingInOrder);
    }

    // A validated token's identity is the same object on every request that carries the token (ValidatedTokenCache), so
    // its scopes are read once per token rather than on every check.
    private readonly ConditionalWeakTable<ClaimsIdentity, IReadOnlySet<string>> _scopes = [];

    /// <summary>Every scope the token holds, from <c>scope</c> (space-separated), <c>scp</c> (string or array) and the configured claim.</summary>
    public IReadOnlySet<string> Scopes(ClaimsPrincipal user) =>
        user.Identities.Count() == 1 && user.Identity is ClaimsIdentity identity
            ? _scopes.GetValue(identity, _ => ReadScopes(user))
            : ReadScopes(user);

    private HashSet<string> ReadScopes(ClaimsPrincipal user)
    {
        var scopes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var claimType in settings.ScopeClaims)
        {
            // A JSON array becomes one claim per element; a string one claim holding space-separated values.
            foreach (var claim in user.FindAll(claimType))
            {
                scopes.UnionWith(claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            }
        }
        return scopes;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused a request for user {UserKey}: the token lacks {MissingScopes}")]
    private static partial void LogScopeRefused(ILogger logger, string userKey, IReadOnlyList<string> missingScopes);
}
