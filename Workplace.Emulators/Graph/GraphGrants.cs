using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Workplace.Emulators.Workspace;

namespace Workplace.Emulators.Graph;

/// <summary>A user's consent to a client: what its refresh tokens carry, until revoked.</summary>
public sealed class GraphGrant(EmulatedUser user, string clientId, IReadOnlyList<string> scopes, bool offline)
{
    public EmulatedUser User { get; } = user;

    public string ClientId { get; } = clientId;

    /// <summary>Graph permissions as full URIs, e.g. <c>https://graph.microsoft.com/Files.Read.All</c>.</summary>
    public IReadOnlyList<string> Scopes { get; } = scopes;

    /// <summary>Whether <c>offline_access</c> was consented: only then does a token response carry a refresh token.</summary>
    public bool Offline { get; } = offline;

    public bool Revoked { get; set; }
}

/// <summary>An authorization code waiting for its one redemption.</summary>
public sealed record GraphAuthorizationCode(GraphGrant Grant, string RedirectUri, string? CodeChallenge, string? CodeChallengeMethod, DateTimeOffset ExpiresAt);

/// <summary>An access token's verdict at the Graph API.</summary>
public enum AccessTokenState
{
    Valid,
    Unknown,
    Expired,
    Revoked,
}

/// <summary>The identity platform's state: codes, grants, refresh and access tokens (opaque here), and the counts tests read.</summary>
public sealed class GraphGrants(TimeProvider time)
{
    /// <summary>Microsoft's access tokens last 60–90 minutes; the emulator answers the lower bound's <c>expires_in</c>.</summary>
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromSeconds(3599);

    private static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, GraphAuthorizationCode> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _redeemed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, GraphGrant> _refreshTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IssuedToken> _accessTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _expiredUpTo = new(StringComparer.Ordinal);
    private long _serial;
    private int _tokenRequests;
    private int _codeRedemptions;
    private int _refreshes;

    public GraphStats Stats => new(Volatile.Read(ref _tokenRequests), Volatile.Read(ref _codeRedemptions), Volatile.Read(ref _refreshes));

    public void CountTokenRequest() => Interlocked.Increment(ref _tokenRequests);

    public string IssueCode(GraphGrant grant, string redirectUri, string? challenge, string? method)
    {
        var code = NewSecret();
        _codes[code] = new GraphAuthorizationCode(grant, redirectUri, challenge, method, time.GetUtcNow() + CodeLifetime);
        return code;
    }

    /// <summary>Takes the code out (a code is good once); <paramref name="replayed"/> tells a spent code from an unknown one.</summary>
    public GraphAuthorizationCode? RedeemCode(string code, out bool replayed)
    {
        replayed = !_codes.TryRemove(code, out var entry) && _redeemed.ContainsKey(code);
        if (entry is null)
        {
            return null;
        }
        _redeemed[code] = 0;
        Interlocked.Increment(ref _codeRedemptions);
        return entry.ExpiresAt > time.GetUtcNow() ? entry : null;
    }

    public GraphGrant? FindRefreshToken(string refreshToken) => _refreshTokens.GetValueOrDefault(refreshToken);

    public void CountRefresh() => Interlocked.Increment(ref _refreshes);

    /// <summary>New tokens for the grant. The identity platform hands out a new refresh token on every redemption and the old one stays valid.</summary>
    public GraphTokenResponse Issue(GraphGrant grant)
    {
        var accessToken = NewSecret();
        _accessTokens[accessToken] = new IssuedToken(grant, Interlocked.Increment(ref _serial), time.GetUtcNow() + AccessTokenLifetime);
        string? refreshToken = null;
        if (grant.Offline)
        {
            refreshToken = NewSecret();
            _refreshTokens[refreshToken] = grant;
        }
        var seconds = (int)AccessTokenLifetime.TotalSeconds;
        return new GraphTokenResponse("Bearer", string.Join(' ', grant.Scopes), seconds, seconds, accessToken, refreshToken);
    }

    public AccessTokenState Check(string accessToken, out GraphGrant? grant)
    {
        grant = null;
        if (!_accessTokens.TryGetValue(accessToken, out var issued))
        {
            return AccessTokenState.Unknown;
        }
        grant = issued.Grant;
        if (issued.Grant.Revoked)
        {
            return AccessTokenState.Revoked;
        }
        var expired = issued.ExpiresAt <= time.GetUtcNow()
            || (_expiredUpTo.TryGetValue(issued.Grant.User.Id, out var upTo) && issued.Serial <= upTo);
        return expired ? AccessTokenState.Expired : AccessTokenState.Valid;
    }

    /// <summary>Every access token issued to <paramref name="user"/> so far expires; tokens issued later do not.</summary>
    public void ExpireAccessTokens(EmulatedUser user) => _expiredUpTo[user.Id] = Interlocked.Read(ref _serial);

    /// <summary>Every grant of <paramref name="user"/> is revoked: its access tokens are refused and its refresh tokens answer invalid_grant.</summary>
    public void Revoke(EmulatedUser user)
    {
        foreach (var grant in _refreshTokens.Values.Concat(_accessTokens.Values.Select(t => t.Grant)).Where(g => g.User == user))
        {
            grant.Revoked = true;
        }
    }

    private static string NewSecret()
    {
        Span<byte> bytes = stackalloc byte[32];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private sealed record IssuedToken(GraphGrant Grant, long Serial, DateTimeOffset ExpiresAt);
}

/// <summary>The identity platform's token response (snake_case on the wire).</summary>
public sealed record GraphTokenResponse(string TokenType, string Scope, int ExpiresIn, int ExtExpiresIn, string AccessToken, string? RefreshToken);

/// <param name="TokenRequests">Every POST to the token endpoint, refused ones included.</param>
/// <param name="AuthorizationCodeRedemptions">Codes redeemed (each at most once).</param>
/// <param name="Refreshes">Refresh-token redemptions that issued tokens.</param>
public sealed record GraphStats(int TokenRequests, int AuthorizationCodeRedemptions, int Refreshes)
{
    /// <summary>Downloads of files' content, set by the admin endpoint from <see cref="Workspace.ContentReads"/>.</summary>
    public long ContentReads { get; init; }
}

/// <summary>Verifies PKCE as RFC 7636 defines it.</summary>
public static class Pkce
{
    public static bool Verifies(string challenge, string method, string verifier) =>
        method switch
        {
            "S256" => CryptographicOperations.FixedTimeEquals(
                Encoding.ASCII.GetBytes(Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_')),
                Encoding.ASCII.GetBytes(challenge)),
            "plain" => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(verifier), Encoding.ASCII.GetBytes(challenge)),
            _ => false,
        };
}
