using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Hybrid;
using Workplace.McpApi.Auth;

namespace Workplace.McpApi.Tools;

/// <summary>
/// When search asks the client to open a not-connected source's connect URL (URL-mode elicitation), without nagging:
/// a source the call names in <c>sources</c> is asked about every time (the caller wants that source now); a source
/// searched only because the caller's token grants it is asked about at most once per user and source every
/// <see cref="QuietPeriod"/>, across replicas (HybridCache, with Redis when configured). Between those, its status
/// still carries the connect URL.
/// </summary>
public sealed class ConnectPrompts(HybridCache cache, ISourceAccess access)
{
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromMinutes(10);

    // A 2025-era client declares its capabilities once, at initialize; on this stateless server later calls do not
    // carry them, so they are remembered per user and OAuth client for about a working day.
    private static readonly TimeSpan s_clientMemory = TimeSpan.FromHours(12);

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
            }, new HybridCacheEntryOptions { Expiration = QuietPeriod, LocalCacheExpiration = QuietPeriod }, cancellationToken: cancellationToken);
            if (first || named?.Contains(source) == true)
            {
                ask.Add(source);
            }
        }
        return ask;
    }

    /// <summary>Remembers whether this user's client declared URL-mode elicitation in its initialize request.</summary>
    public async Task RememberClientAsync(ClaimsPrincipal user, bool urlElicitation, CancellationToken cancellationToken) =>
        await cache.SetAsync(ClientKey(user), urlElicitation ? "url" : "-",
            new HybridCacheEntryOptions { Expiration = s_clientMemory, LocalCacheExpiration = s_clientMemory }, cancellationToken: cancellationToken);

    public async Task<bool> ClientDeclaredUrlElicitationAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var declared = await cache.GetOrCreateAsync(ClientKey(user), _ => ValueTask.FromResult("-"),
            new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableLocalCacheWrite | HybridCacheEntryFlags.DisableDistributedCacheWrite },
            cancellationToken: cancellationToken);
        return declared == "url";
    }

    private string ClientKey(ClaimsPrincipal user)
    {
        var client = s_clientClaims.Select(c => user.FindFirst(c)?.Value).FirstOrDefault(v => !string.IsNullOrEmpty(v)) ?? "";
        return $"client-elicitation:v1:{access.UserKey(user)}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(client)))[..32]}";
    }
}
