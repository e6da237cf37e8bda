using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Workplace.Emulators.Google.OAuth;

/// <summary>A user's consent to a client for some scopes: what a refresh token stands for, and what revoke ends.</summary>
public sealed class GoogleGrant(string user, string clientId, string scope)
{
    public string User { get; } = user;

    public string ClientId { get; } = clientId;

    public string Scope { get; } = scope;

    private volatile bool _revoked;

    public bool Revoked => _revoked;

    public void Revoke() => _revoked = true;
}

/// <summary>An access token of a grant, valid until <paramref name="Expires"/>.</summary>
public sealed record GoogleAccessToken(GoogleGrant Grant, DateTimeOffset Expires);

/// <summary>An authorization code, single use, bound to its client, redirect URI and PKCE challenge.</summary>
public sealed record GoogleAuthorizationCode(
    string User, string ClientId, string RedirectUri, string Scope, string? Challenge, string ChallengeMethod, bool Offline, DateTimeOffset Expires);

/// <summary>The grants, codes and tokens the emulated Google authorization server has issued, and its token endpoint's call counts.</summary>
public sealed class GoogleGrants(TimeProvider time)
{
    /// <summary>Google's access tokens live an hour; its token responses say 3599.</summary>
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromSeconds(3599);

    private static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, GoogleAuthorizationCode> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, GoogleAccessToken> _accessTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, GoogleGrant> _refreshTokens = new(StringComparer.Ordinal);
    private long _tokenCalls;
    private long _refreshCalls;

    public long TokenCalls => Interlocked.Read(ref _tokenCalls);

    public long RefreshCalls => Interlocked.Read(ref _refreshCalls);

    public void CountTokenCall(bool refresh)
    {
        Interlocked.Increment(ref _tokenCalls);
        if (refresh)
        {
            Interlocked.Increment(ref _refreshCalls);
        }
    }

    public string IssueCode(string user, string clientId, string redirectUri, string scope, string? challenge, string challengeMethod, bool offline)
    {
        var code = "4/0A" + NewSecret();
        _codes[code] = new GoogleAuthorizationCode(user, clientId, redirectUri, scope, challenge, challengeMethod, offline, time.GetUtcNow() + CodeLifetime);
        return code;
    }

    /// <summary>Takes the code out: a code is good for one exchange, right or wrong, as at Google.</summary>
    public GoogleAuthorizationCode? RedeemCode(string code) =>
        _codes.TryRemove(code, out var issued) && issued.Expires > time.GetUtcNow() ? issued : null;

    /// <summary>A new grant and its first tokens; the refresh token only for offline access, as Google does.</summary>
    public (string AccessToken, string? RefreshToken) Grant(string user, string clientId, string scope, bool offline, TimeSpan? lifetime = null)
    {
        var grant = new GoogleGrant(user, clientId, scope);
        string? refreshToken = null;
        if (offline)
        {
            refreshToken = "1//0g" + NewSecret();
            _refreshTokens[refreshToken] = grant;
        }
        return (IssueAccessToken(grant, lifetime), refreshToken);
    }

    public GoogleGrant? FindRefreshToken(string refreshToken) =>
        _refreshTokens.TryGetValue(refreshToken, out var grant) && !grant.Revoked ? grant : null;

    public string IssueAccessToken(GoogleGrant grant, TimeSpan? lifetime = null)
    {
        var token = "ya29.a0" + NewSecret();
        _accessTokens[token] = new GoogleAccessToken(grant, time.GetUtcNow() + (lifetime ?? AccessTokenLifetime));
        return token;
    }

    /// <summary>The live access token, or null when it is unknown, expired or its grant revoked.</summary>
    public GoogleAccessToken? FindAccessToken(string token) =>
        _accessTokens.TryGetValue(token, out var issued) && !issued.Grant.Revoked && issued.Expires > time.GetUtcNow() ? issued : null;

    /// <summary>
    /// Every live access token of <paramref name="user"/> expires now, as if their hour had passed; refresh tokens stay
    /// good. How a test makes a client meet an expired token without waiting an hour.
    /// </summary>
    /// <returns>How many tokens expired.</returns>
    public int ExpireAccessTokens(string user)
    {
        var now = time.GetUtcNow();
        var expired = 0;
        foreach (var (token, issued) in _accessTokens)
        {
            if (issued.Grant.User == user && issued.Expires > now && _accessTokens.TryUpdate(token, issued with { Expires = now }, issued))
            {
                expired++;
            }
        }
        return expired;
    }

    /// <summary>Revoking either token of a grant ends the whole grant, as Google's revoke endpoint does.</summary>
    public bool Revoke(string token)
    {
        var grant = _refreshTokens.TryGetValue(token, out var byRefresh) ? byRefresh
            : _accessTokens.TryGetValue(token, out var byAccess) ? byAccess.Grant
            : null;
        if (grant is null || grant.Revoked)
        {
            return false;
        }
        grant.Revoke();
        return true;
    }

    private static string NewSecret() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static string S256(string verifier) => WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
}
