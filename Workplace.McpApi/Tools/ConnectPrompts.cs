using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Hybrid;
using StackExchange.Redis;
using Workplace.McpApi.Auth;

namespace Workplace.McpApi.Tools;

/// <summary>
/// When search asks the client to open a not-connected source's connect URL (URL-mode elicitation), without nagging:
/// a source the call names in <c>sources</c> is asked about every time (the caller wants that source now); a source
/// searched only because the caller's token grants it is asked about at most once per user and source every
/// <see cref="QuietPeriod"/>, across replicas (HybridCache, with Redis when configured). Between those, its status
/// still carries the connect URL.
/// </summary>
public sealed class ConnectPrompts(HybridCache cache, ISourceAccess access, IConnectionMultiplexer? redis = null)
{
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromMinutes(10);

    // A 2025-era client declares its capabilities once, at initialize; on this stateless server later calls do not
    // carry them, so they are remembered per user and OAuth client for about a working day. A replica keeps its own
    // copy only briefly: the client may initialize again, declaring otherwise, through another replica.
    private static readonly TimeSpan s_clientMemory = TimeSpan.FromHours(12);
    private static readonly TimeSpan s_clientMemoryLocal = TimeSpan.FromMinutes(1);

    // Claims naming the OAuth client a token was issued to (RFC 9068 client_id, OIDC azp, Okta cid).
    private static readonly string[] s_clientClaims = ["client_id", "azp", "cid"];

    /// <returns>The sources of <paramref name="notConnected"/> to ask the user to connect now.</returns>
    public async Task<IReadOnlyList<string>> ToAskAsync(ClaimsPrincipal user, IEnumerable<string> notConnected, IReadOnlyCollection<string>? named, CancellationToken cancellationToken)
    {
        var userKey = access.UserKey(user);
        var ask = new List<string>();
        foreach (var source in notConnected)
        {
            var first = false;
            await cache.GetOrCreateAsync($"connect-asked:v1:{userKey}:{source}", _ =>
            {
                first = true;
                return ValueTask.FromResult("asked");
            }, Entry(QuietPeriod, QuietPeriod), cancellationToken: cancellationToken);
            if (first || named?.Contains(source) == true)
            {
                ask.Add(source);
            }
        }
        return ask;
    }

    /// <summary>Remembers whether this user's client declared URL-mode elicitation in its initialize request.</summary>
    public async Task RememberClientAsync(ClaimsPrincipal user, bool urlElicitation, CancellationToken cancellationToken) =>
        await cache.SetAsync(ClientKey(user), urlElicitation ? "url" : "-", Entry(s_clientMemory, s_clientMemoryLocal), cancellationToken: cancellationToken);

    public async Task<bool> ClientDeclaredUrlElicitationAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        // Unknown is not remembered as "no": the client may initialize a moment later.
        var read = new HybridCacheEntryOptions { Flags = Entry(s_clientMemory, s_clientMemoryLocal).Flags | HybridCacheEntryFlags.DisableLocalCacheWrite | HybridCacheEntryFlags.DisableDistributedCacheWrite };
        var declared = await cache.GetOrCreateAsync(ClientKey(user), _ => ValueTask.FromResult("-"), read, cancellationToken: cancellationToken);
        return declared == "url";
    }

    // Redis down: remembered by this replica only, rather than HybridCache trying (and logging) Redis on every call.
    private HybridCacheEntryOptions Entry(TimeSpan expiration, TimeSpan local) => new()
    {
        Expiration = expiration,
        LocalCacheExpiration = local,
        Flags = redis is { IsConnected: false } ? HybridCacheEntryFlags.DisableDistributedCache : HybridCacheEntryFlags.None,
    };

    private string ClientKey(ClaimsPrincipal user)
    {
        var client = s_clientClaims.Select(c => user.FindFirst(c)?.Value).FirstOrDefault(v => !string.IsNullOrEmpty(v)) ?? "";
        return $"client-elicitation:v1:{access.UserKey(user)}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(client)))[..32]}";
    }
}
