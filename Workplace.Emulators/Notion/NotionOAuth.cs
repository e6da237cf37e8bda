using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Workplace.Emulators.Faults;
using Workplace.Emulators.Workspace;

namespace Workplace.Emulators.Notion;

/// <summary>The emulated Notion public integration: its OAuth client credentials and how long its access tokens live.</summary>
public sealed class NotionEmulatorOptions
{
    public const string Section = "Emulators:Notion";

    [Required]
    public string ClientId { get; set; } = "workplace-notion-client";

    [Required]
    public string ClientSecret { get; set; } = "workplace-notion-secret";

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Who an access token speaks for.</summary>
public sealed record NotionCaller(string User, string GrantId);

/// <summary>
/// Notion's OAuth for public integrations: authorization codes (with PKCE S256 when the client sends a challenge),
/// access tokens that expire, refresh tokens rotated on every use, grants that can be revoked. State is in memory.
/// </summary>
public sealed class NotionOAuth(IOptions<NotionEmulatorOptions> options, TimeProvider time, FaultRegistry faults)
{
    public const string Provider = "notion";

    private static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, PendingCode> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, UserGrant> _grants = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, UserGrant> _refreshTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IssuedToken> _accessTokens = new(StringComparer.Ordinal);
    private int _tokenRequests;

    public NotionEmulatorOptions Options => options.Value;

    /// <summary>Calls to the token endpoint, successful or not.</summary>
    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    public void CountTokenRequest() => Interlocked.Increment(ref _tokenRequests);

    public string IssueCode(string user, string clientId, string redirectUri, string? codeChallenge)
    {
        var code = Secret("ncd_");
        _codes[code] = new PendingCode(user, clientId, redirectUri, codeChallenge, time.GetUtcNow() + CodeLifetime);
        return code;
    }

    /// <summary>Exchanges a code once: a code is gone after its first use, whether or not the exchange succeeds.</summary>
    public (JsonObject? Token, string? Error) ExchangeCode(string clientId, string code, string? redirectUri, string? codeVerifier)
    {
        if (!_codes.TryRemove(code, out var pending) || pending.ExpiresAt <= time.GetUtcNow())
        {
            return (null, "The authorization code is invalid, expired or already used.");
        }
        if (!string.Equals(pending.ClientId, clientId, StringComparison.Ordinal))
        {
            return (null, "The authorization code was issued to another client.");
        }
        if (!string.Equals(pending.RedirectUri, redirectUri, StringComparison.Ordinal))
        {
            return (null, "redirect_uri does not match the one of the authorization request.");
        }
        if (pending.CodeChallenge is { } challenge && (codeVerifier is null || !string.Equals(Challenge(codeVerifier), challenge, StringComparison.Ordinal)))
        {
            return (null, "code_verifier does not match the code_challenge of the authorization request.");
        }
        return (Grant(pending.User), null);
    }

    public (JsonObject? Token, string? Error) Refresh(string refreshToken)
    {
        if (!_refreshTokens.TryRemove(refreshToken, out var grant))
        {
            return (null, "The refresh token is invalid or was already used.");
        }
        if (grant.Revoked || faults.Has(Provider, FaultKind.RevokedGrant, grant.User))
        {
            return (null, "The grant was revoked: the user must authorize the integration again.");
        }
        return (Tokens(grant), null);
    }

    /// <summary>A new grant for <paramref name="user"/> and its first tokens (what a completed consent yields).</summary>
    public JsonObject Grant(string user)
    {
        var grant = new UserGrant(Secret("grant_"), user);
        _grants[grant.Id] = grant;
        return Tokens(grant);
    }

    /// <summary>Revokes the grant an access or refresh token belongs to; false when the token is unknown.</summary>
    public bool Revoke(string token)
    {
        var grant = _accessTokens.TryGetValue(token, out var issued) ? _grants.GetValueOrDefault(issued.GrantId) : _refreshTokens.GetValueOrDefault(token);
        if (grant is null)
        {
            return false;
        }
        grant.Revoked = true;
        return true;
    }

    /// <summary>The caller of a bearer token, or null when the token is unknown, expired or its grant revoked.</summary>
    public NotionCaller? Authenticate(string accessToken)
    {
        if (!_accessTokens.TryGetValue(accessToken, out var issued) || issued.ExpiresAt <= time.GetUtcNow())
        {
            return null;
        }
        var grant = _grants[issued.GrantId];
        return grant.Revoked || faults.Has(Provider, FaultKind.RevokedGrant, grant.User) ? null : new NotionCaller(grant.User, grant.Id);
    }

    public static string Challenge(string verifier) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private JsonObject Tokens(UserGrant grant)
    {
        var access = Secret("ntn_");
        var refresh = Secret("nrt_");
        _accessTokens[access] = new IssuedToken(grant.Id, time.GetUtcNow() + Options.AccessTokenLifetime);
        _refreshTokens[refresh] = grant;
        var user = EmulatedUsers.Find(grant.User)!;
        return new JsonObject
        {
            ["access_token"] = access,
            ["token_type"] = "bearer",
            ["refresh_token"] = refresh,
            ["expires_in"] = (int)Options.AccessTokenLifetime.TotalSeconds,
            ["bot_id"] = NotionObjects.Id(NotionWorkspace.IdFor("bot:" + grant.Id)),
            ["workspace_name"] = NotionWorkspace.Name,
            ["workspace_icon"] = null,
            ["workspace_id"] = NotionObjects.Id(NotionWorkspace.IdFor("workspace")),
            ["owner"] = new JsonObject { ["type"] = "user", ["user"] = NotionObjects.Person(user) },
            ["duplicated_template_id"] = null,
            ["request_id"] = Guid.NewGuid().ToString("D"),
        };
    }

    private static string Secret(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    private sealed record PendingCode(string User, string ClientId, string RedirectUri, string? CodeChallenge, DateTimeOffset ExpiresAt);

    private sealed record IssuedToken(string GrantId, DateTimeOffset ExpiresAt);

    private sealed class UserGrant(string id, string user)
    {
        public string Id { get; } = id;

        public string User { get; } = user;

        public bool Revoked { get; set; }
    }
}
