using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Workplace.Emulators.Oidc;
using Workplace.Tests.Infrastructure;
using Workplace.Tests.Mcp;

namespace Workplace.Tests.Auth;

/// <summary>Real issuer emulator, mcpapi, connectors and Redis: cached search answers belong to the user who asked.</summary>
public sealed class UserCacheIsolationTests
{
    private static readonly string[] s_scopes = ["workplace:read:files"];

    [Fact]
    public async Task TwoUsersSearchingTheSameQuery_NeverSeeEachOthersCachedResults()
    {
        var root = Directory.CreateTempSubdirectory("auth-cache-root-").FullName;
        var key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await File.WriteAllTextAsync(Path.Combine(root, "alpha.md"), "# Alpha report\n\nThe zebra migration plan.\n");
        await using var redis = await RedisServer.StartAsync();
        await using var connectors = ConnectorsApp.Start(root, key, ("Sources:Files:RescanInterval", "00:00:01"));
        await using var issuer = await OidcIssuer.StartAsync(McpApiHost.Resource);
        var settings = McpApiHost.AuthoritySettings(issuer.Issuer);
        settings["services:connectors:http:0"] = connectors.BaseAddress.ToString().TrimEnd('/');
        settings["Internal:SigningKey"] = key;
        settings["ConnectionStrings:cache"] = redis.ConnectionString;
        settings["Search:CacheTtl"] = "00:05:00";
        await using var api = new McpApiHost(settings);
        api.Client().Dispose();

        // Alice's answer is cached for five minutes; then a second matching document appears.
        Assert.Equal(["Alpha report"], await SearchTitlesAsync(api, issuer, "alice"));
        await File.WriteAllTextAsync(Path.Combine(root, "beta.md"), "# Beta notes\n\nZebra crossings near the office.\n");
        var probes = 0;
        await Poll.UntilAsync(async () => (await SearchTitlesAsync(api, issuer, $"probe-{++probes}")).Count == 2,
            TimeSpan.FromSeconds(20), "the new document to be indexed");

        var bob = await SearchTitlesAsync(api, issuer, "bob");
        var aliceAgain = await SearchTitlesAsync(api, issuer, "alice");

        // Bob gets a fresh answer, never alice's cached one; alice still gets hers, so the cache was in play.
        Assert.Equal(["Alpha report", "Beta notes"], bob.Order());
        Assert.Equal(["Alpha report"], aliceAgain);
        Directory.Delete(root, recursive: true);
    }

    private static async Task<IReadOnlyList<string>> SearchTitlesAsync(McpApiHost api, OidcIssuer issuer, string user)
    {
        using var http = new HttpClient { BaseAddress = api.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", issuer.Mint(new TokenSpec { Subject = user, Scopes = s_scopes }));
        var response = await new McpWire(http, new Uri(api.BaseAddress, "/mcp")).CallToolAsync("search", new JsonObject { ["query"] = "zebra" });
        Assert.Equal(200, response.Status);
        return [.. response.Result["structuredContent"]!["results"]!.AsArray().Select(r => (string)r!["title"]!)];
    }
}
