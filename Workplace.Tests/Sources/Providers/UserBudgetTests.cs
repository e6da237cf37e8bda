using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using StackExchange.Redis;
using Workplace.Emulators.Notion;
using Workplace.ServiceDefaults.ConnectorApi;
using Workplace.Tests.Emulators;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Sources.Providers;

/// <summary>
/// A per-user budget beside the provider's (<c>Sources:{Name}:Budget:UserRequestsPerSecond</c>), through the real
/// Connectors app, the Notion emulator and a real Redis: one person's spent budget refuses them, not the others, and
/// both buckets are charged in one Redis script run.
/// </summary>
public sealed class UserBudgetTests(EmulatorsHost emulators) : IClassFixture<EmulatorsHost>, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("user-budget-files-").FullName;
    private readonly string _key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task One_persons_spent_budget_refuses_them_with_when_to_retry_and_not_the_others()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var connectors = ConnectorsApp.Start(_root, _key,
            ("Logging:LogLevel:Default", "Warning"),
            ("ConnectionStrings:cache", redis.ConnectionString),
            ("Sources:Notion:BaseUrl", new Uri(emulators.BaseAddress, "notion/").ToString()),
            ("Sources:Notion:Emulated", "true"),
            ("Sources:Notion:OAuth:ClientId", "workplace-notion-client"),
            ("Sources:Notion:OAuth:ClientSecret", new NotionEmulatorOptions().ClientSecret),
            ("Sources:Notion:OAuth:TokenUrl", new Uri(emulators.BaseAddress, "notion/v1/oauth/token").ToString()),
            ("Sources:Notion:Budget:RequestsPerSecond", "1000"),
            ("Sources:Notion:Budget:Burst", "1000"),
            // One request each, then one every hundred seconds, and no queue.
            ("Sources:Notion:Budget:UserRequestsPerSecond", "0.01"),
            ("Sources:Notion:Budget:UserBurst", "1"),
            ("Sources:Notion:Budget:MaxWait", "00:00:00"));
        foreach (var user in new[] { "aditi", "renata" })
        {
            await ProviderGrants.ConnectAsync(emulators.BaseAddress, "notion", connectors, user, user, "notion");
        }
        await using var admin = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",allowAdmin=true");
        var scripts = await ScriptRunsAsync(admin);

        var (first, _) = await SearchAsync(connectors, "aditi", "walrus");
        var afterOne = await ScriptRunsAsync(admin);
        var (second, refusal) = await SearchAsync(connectors, "aditi", "narwhal");
        var (other, _) = await SearchAsync(connectors, "renata", "narwhal");

        Assert.Equal(HttpStatusCode.OK, first);
        // One Notion request, one script run charging the provider's bucket and Aditi's.
        Assert.Equal(1, afterOne - scripts);
        Assert.True(await admin.GetDatabase().KeyExistsAsync("workplace:budget:notion:user:aditi"));
        Assert.Equal(HttpStatusCode.TooManyRequests, second);
        Assert.Contains("more than this service sends it for one person", refusal, StringComparison.Ordinal);
        Assert.Contains("Sources:Notion:Budget:UserRequestsPerSecond", refusal, StringComparison.Ordinal);
        Assert.Matches(@"Try again in \d+ s", refusal);
        Assert.Equal(HttpStatusCode.OK, other);
    }

    private async Task<(HttpStatusCode Status, string Body)> SearchAsync(ConnectorsApp connectors, string user, string query)
    {
        using var client = new HttpClient { BaseAddress = connectors.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", new InternalAssertion(_key).Create(new InternalPrincipal(user, new HashSet<string> { "notion" })));
        using var response = await client.PostAsJsonAsync(ConnectorRoutes.Search("notion"), new { query });
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Script runs the server has counted (INFO commandstats: EVAL and EVALSHA).</summary>
    private static async Task<long> ScriptRunsAsync(ConnectionMultiplexer redis)
    {
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        return (await server.InfoAsync("commandstats")).SelectMany(g => g)
            .Where(p => p.Key is "cmdstat_eval" or "cmdstat_evalsha")
            .Sum(p => long.Parse(p.Value.Split(',').Single(v => v.StartsWith("calls=", StringComparison.Ordinal))["calls=".Length..], CultureInfo.InvariantCulture));
    }
}
