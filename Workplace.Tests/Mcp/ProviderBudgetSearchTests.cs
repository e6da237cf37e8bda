using System.Globalization;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using ModelContextProtocol.Client;
using Workplace.Emulators.Faults;
using Workplace.Emulators.Notion;
using Workplace.McpApi.Auth;
using Workplace.Tests.Emulators;
using Workplace.Tests.Infrastructure;
using Workplace.Tests.Sources.Providers;

namespace Workplace.Tests.Mcp;

/// <summary>
/// Connectors' provider budget seen from an agent: MCP searches through the real McpApi and Connectors apps against the
/// Notion emulator enforcing a rate limit of its own (<see cref="Quota"/>), so any request past the provider's limit
/// would be its 429.
/// </summary>
public sealed class ProviderBudgetSearchTests(EmulatorsHost emulators) : IClassFixture<EmulatorsHost>, IDisposable
{
    // The subject McpClientSession signs in as.
    private const string Subject = "test-user";

    private readonly string _root = Directory.CreateTempSubdirectory("budget-search-files-").FullName;
    private readonly string _key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_burst_within_the_queue_is_answered_in_full_and_no_request_passes_the_providers_limit()
    {
        // The budget at 2 requests a second, burst 2, under Notion's limit of 3 and 3 (the default budget sits at
        // Notion's documented average, which Notion lets bursts exceed): what the budget spaces out may arrive closer
        // together on a busy machine, and the margin absorbs that. Six requests at once would be three over it.
        await using var graph = await StartAsync(("Sources:Notion:Budget:RequestsPerSecond", "2"), ("Sources:Notion:Budget:Burst", "2"), ("Sources:Notion:Budget:MaxWait", "00:00:03"));
        await QuotaAsync(new Quota(3, 3));
        await using var client = await McpClientSession.ConnectAsync(graph.McpApi, "2026-07-28");

        // Six searches at once: twice the burst and more, so four wait their turn (the last about 2 s). One word each: a
        // search of several keywords asks Notion twice (the keywords together and the most specific alone).
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => SearchNotionAsync(client, $"zebra{i}")));

        Assert.All(results, status => Assert.Equal("ok", status.Status));
        var quota = await QuotaStatsAsync();
        Assert.True(quota.Refused == 0, $"Notion refused requests: {quota}");
        Assert.True(quota.Admitted >= 6, $"{quota.Admitted} requests reached Notion; every search makes one");
    }

    [Fact]
    public async Task A_budget_exhausted_past_its_queue_wait_answers_rate_limited_with_when_to_retry()
    {
        // One request every ten seconds, and half a second of queue: the second search cannot wait for its turn.
        await using var graph = await StartAsync(("Sources:Notion:Budget:RequestsPerSecond", "0.1"), ("Sources:Notion:Budget:Burst", "1"), ("Sources:Notion:Budget:MaxWait", "00:00:00.500"));
        await QuotaAsync(new Quota(3, 3));
        await using var client = await McpClientSession.ConnectAsync(graph.McpApi, "2026-07-28");

        var first = await SearchNotionAsync(client, "okapi");
        var second = await SearchNotionAsync(client, "quokka");

        Assert.Equal("ok", first.Status);
        Assert.Equal("rate_limited", second.Status);
        var retry = System.Text.RegularExpressions.Regex.Match(second.Message, @"retry in (\d+) s");
        Assert.True(retry.Success, second.Message);
        Assert.InRange(int.Parse(retry.Groups[1].Value, CultureInfo.InvariantCulture), 1, 10);
        Assert.Contains("Sources:Notion:Budget", second.Message, StringComparison.Ordinal);
        // Refused by the budget, not by Notion: the second search never reached it.
        Assert.Equal(new QuotaStats(1, 0), await QuotaStatsAsync());
    }

    private static async Task<(string Status, string Message)> SearchNotionAsync(McpClient client, string query)
    {
        var result = await client.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = query, ["sources"] = new[] { "notion" } });
        Assert.NotEqual(true, result.IsError);
        var source = result.StructuredContent!.Value.GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("source").GetString() == "notion");
        return (source.GetProperty("status").GetString()!, source.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String ? message.GetString()! : "");
    }

    private async Task QuotaAsync(Quota quota)
    {
        using var admin = new HttpClient { BaseAddress = emulators.BaseAddress };
        (await admin.PutAsJsonAsync("/admin/quotas/notion", quota)).EnsureSuccessStatusCode();
    }

    private async Task<QuotaStats> QuotaStatsAsync()
    {
        using var admin = new HttpClient { BaseAddress = emulators.BaseAddress };
        return (await admin.GetFromJsonAsync<QuotaStats>("/admin/quotas/notion"))!;
    }

    /// <summary>Connectors with Notion on the emulator and <paramref name="settings"/>, McpApi on it, and the MCP test user connected to Notion.</summary>
    private async Task<Graph> StartAsync(params (string Key, string? Value)[] settings)
    {
        var connectors = ConnectorsApp.Start(_root, _key, [
            ("Logging:LogLevel:Default", "Warning"),
            ("Sources:Notion:BaseUrl", new Uri(emulators.BaseAddress, "notion/").ToString()),
            ("Sources:Notion:Emulated", "true"),
            ("Sources:Notion:OAuth:ClientId", "workplace-notion-client"),
            ("Sources:Notion:OAuth:ClientSecret", new NotionEmulatorOptions().ClientSecret),
            ("Sources:Notion:OAuth:TokenUrl", new Uri(emulators.BaseAddress, "notion/v1/oauth/token").ToString()),
            .. settings]);
        var mcpApi = new Wired(connectors.BaseAddress.ToString().TrimEnd('/'), _key);
        var issuer = new JsonWebToken(mcpApi.Auth.Token(Subject)).Issuer;
        var userKey = mcpApi.Services.GetRequiredService<ISourceAccess>().UserKey(
            new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", Subject), new Claim("iss", issuer)], "test")));
        await ProviderGrants.ConnectAsync(emulators.BaseAddress, "notion", connectors, "aditi", userKey, "notion");
        return new Graph(connectors, mcpApi);
    }

    private sealed record Graph(ConnectorsApp Connectors, McpApiFactory McpApi) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await McpApi.DisposeAsync();
            await Connectors.DisposeAsync();
        }
    }

    private sealed class Wired(string connectorsUrl, string key) : McpApiFactory
    {
        public override string ConnectorsUrl => connectorsUrl;

        public override string SigningKey => key;

        // Each search is a new query: the answer cache is not what these tests look at.
        protected override void ConfigureTestHost(IWebHostBuilder builder) => builder.UseSetting("Search:CacheTtl", "00:00:00");
    }
}
