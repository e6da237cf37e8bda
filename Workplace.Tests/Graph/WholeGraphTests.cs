using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Aspire.Hosting.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Graph;

[Collection(GraphCollection.Name)]
public sealed class WholeGraphTests(GraphFixture fixture)
{
    // samples/workspace/engineering/runbooks/kestrel-firmware-rollback.md: its title and its body carry the phrase.
    private const string Phrase = "Kestrel gripper firmware rollback";
    private const string ExpectedTitleFragment = "Firmware Rollback";

    [Theory]
    [InlineData("connectors", "/health")]
    [InlineData("connectors", "/alive")]
    [InlineData("mcpapi", "/health")]
    [InlineData("mcpapi", "/alive")]
    public async Task HealthEndpoints_AnswerHealthyJson(string service, string path)
    {
        using var http = fixture.CreateHttpClient(authenticated: false);

        using var response = await http.GetAsync(new Uri(fixture.App.GetEndpoint(service, "http"), path));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        var checks = body.RootElement.GetProperty("checks");
        // Readiness of mcpapi includes the Redis the graph started (connectors' may, once it keeps grants there); /alive is the process only.
        var hasRedis = checks.TryGetProperty("redis", out var redis);
        Assert.Equal(path == "/health" && (service == "mcpapi" || hasRedis), hasRedis);
        if (hasRedis)
        {
            Assert.Equal("Healthy", redis.GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Mcp_WithoutAToken_IsChallengedToSignIn()
    {
        using var http = fixture.CreateHttpClient(authenticated: false);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => fixture.ConnectMcpAsync(http));
        using var response = await http.PostAsync(fixture.McpEndpoint, new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Contains("401", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains($"resource_metadata=\"{new Uri(fixture.McpApiUrl, "/.well-known/oauth-protected-resource/mcp")}\"", challenge.Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mcp_ListsTheTools()
    {
        using var http = fixture.CreateHttpClient();
        await using var client = await fixture.ConnectMcpAsync(http);

        var tools = await client.ListToolsAsync();

        Assert.Equal(["fetch", "list_sources", "search"], tools.Select(t => t.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Mcp_SearchFindsTheDocumentFirst_AndFetchInTwoRangesJoinsToTheWhole()
    {
        using var http = fixture.CreateHttpClient();
        await using var client = await fixture.ConnectMcpAsync(http);

        var search = await SearchAsync(client, Phrase);

        var results = search.GetProperty("results");
        Assert.True(results.GetArrayLength() > 0, $"no results for \"{Phrase}\": {search}");
        var first = results[0];
        Assert.Contains(ExpectedTitleFragment, first.GetProperty("title").GetString(), StringComparison.OrdinalIgnoreCase);
        var id = first.GetProperty("id").GetString()!;

        var whole = await FetchAsync(client, id, 0, 100_000);
        var total = whole.GetProperty("total_chars").GetInt32();
        Assert.True(total > 1, "the document is empty");
        var head = await FetchAsync(client, id, 0, total / 2);
        Assert.True(head.GetProperty("truncated").GetBoolean());
        var tail = await FetchAsync(client, id, head.GetProperty("next_offset").GetInt32(), 100_000);
        Assert.Equal(JsonValueKind.Null, tail.GetProperty("next_offset").ValueKind);

        Assert.Equal(Content(whole), Content(head) + Content(tail));
        Assert.Contains(Phrase, Content(whole), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RedisStopped_SearchesKeepAnswering_HealthSaysSo_AndCachingResumesWhenItIsBack()
    {
        using var http = fixture.CreateHttpClient();
        await using var client = await fixture.ConnectMcpAsync(http);
        var health = new Uri(fixture.McpApiUrl, "/health");
        // Every source answers before: connectors holds the development user's grants it read from Redis.
        Assert.All(Statuses(await SearchAsync(client, Phrase, everySource: true)), s => Assert.Equal(("ok", s.Source), s));
        try
        {
            // Act: stop redis-server as the dashboard's Stop would.
            await fixture.ExecuteAsync("cache", KnownResourceCommands.StopCommand);
            await Poll.UntilAsync(async () => await RedisStatusAsync(http, health) != "Healthy",
                TimeSpan.FromSeconds(30), "mcpapi's readiness to report Redis down");

            // Assert: every search still answers, from every source: the providers on the grants connectors last held
            // (their access tokens have not expired) and on budgets kept in process.
            for (var i = 0; i < 3; i++)
            {
                Assert.All(Statuses(await SearchAsync(client, $"{Phrase} {i}", everySource: true)), s => Assert.Equal(("ok", s.Source), s));
            }
        }
        finally
        {
            await fixture.ExecuteAsync("cache", KnownResourceCommands.StartCommand);
        }

        // Back: readiness recovers without restarting mcpapi.
        await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync("cache").WaitAsync(TimeSpan.FromSeconds(60));
        await Poll.UntilAsync(async () => await RedisStatusAsync(http, health) == "Healthy",
            TimeSpan.FromSeconds(60), "mcpapi to see Redis again");
        var again = await SearchAsync(client, Phrase);
        Assert.Equal("ok", FilesStatus(again));
        // Nothing stored was lost: the development user's grants (and the key ring that opens them) came back with Redis,
        // once connectors' own connection to it is back too.
        await Poll.UntilAsync(async () =>
        {
            var sources = await client.CallToolAsync("list_sources", new Dictionary<string, object?>());
            return sources.StructuredContent!.Value.GetProperty("sources").EnumerateArray()
                .Where(s => s.GetProperty("emulated").GetBoolean()).All(s => s.GetProperty("connected").GetBoolean());
        }, TimeSpan.FromSeconds(30), "connectors to read the development user's grants from the restarted Redis");
    }

    [Fact]
    public async Task ConnectorsKilled_SearchSaysTheSourceFailed_ThenTheGraphRestartsIt()
    {
        using var http = fixture.CreateHttpClient();
        await using var client = await fixture.ConnectMcpAsync(http);
        var notifications = fixture.App.ResourceNotifications;
        var running = await notifications.WaitForResourceAsync("connectors", e => e.Snapshot.State?.Text == KnownResourceStates.Running && Pid(e) is not null);
        var pid = Pid(running)!.Value;

        // Act: crash it (the whole `dotnet run` tree DCP started, so nothing keeps serving its port).
        using (var process = Process.GetProcessById(pid))
        {
            process.Kill(entireProcessTree: true);
        }
        // DCP reports a project whose process ended as Finished.
        await notifications.WaitForResourceAsync("connectors", e => e.Snapshot.State?.Text == KnownResourceStates.Finished).WaitAsync(TimeSpan.FromSeconds(30));

        // Assert: a search meanwhile names the failed source instead of failing the call (unique queries: no cache hit).
        var during = await SearchAsync(client, $"{Phrase} during {Guid.NewGuid():N}");
        Assert.NotEqual("ok", FilesStatus(during));

        // …and the AppHost restarts it: searches answer from it again.
        await Poll.UntilAsync(async () => FilesStatus(await SearchAsync(client, $"{Phrase} after {Guid.NewGuid():N}")) == "ok",
            TimeSpan.FromSeconds(90), "connectors to be restarted and searched again");
        var restarted = await notifications.WaitForResourceAsync("connectors", e => e.Snapshot.State?.Text == KnownResourceStates.Running && Pid(e) is { } p && p != pid);
        Assert.NotEqual(pid, Pid(restarted));
    }

    private static int? Pid(ResourceEvent update) =>
        update.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } value
            && int.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;

    // Readiness answers 503 while a check fails: the body still names each check.
    private static async Task<string?> RedisStatusAsync(HttpClient http, Uri health)
    {
        using var response = await http.GetAsync(health);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("checks").TryGetProperty("redis", out var redis) ? redis.GetProperty("status").GetString() : null;
    }

    private static IEnumerable<(string? Status, string? Source)> Statuses(JsonElement search) =>
        search.GetProperty("sources").EnumerateArray().Select(s => (s.GetProperty("status").GetString(), s.GetProperty("source").GetString()));

    private static string? FilesStatus(JsonElement search) => Statuses(search).Single(s => s.Source == "files").Status;

    // The files source alone, unless everySource: then every source the token grants, and each says how it went.
    private static async Task<JsonElement> SearchAsync(McpClient client, string query, bool everySource = false)
    {
        var arguments = new Dictionary<string, object?> { ["query"] = query, ["max_results"] = 5 };
        if (!everySource)
        {
            arguments["sources"] = new[] { "files" };
        }
        var result = await client.CallToolAsync("search", arguments);
        Assert.True(result.IsError is not true, Text(result));
        var search = Structured(result);
        if (everySource)
        {
            Assert.Equal(["files", "google_drive", "notion", "sharepoint"], search.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("source").GetString()).Order(StringComparer.Ordinal));
        }
        return search;
    }

    private static async Task<JsonElement> FetchAsync(McpClient client, string id, int offset, int maxChars)
    {
        var result = await client.CallToolAsync("fetch", new Dictionary<string, object?>
        {
            ["id"] = id,
            ["offset"] = offset,
            ["max_chars"] = maxChars,
        });
        Assert.True(result.IsError is not true, Text(result));
        return Structured(result);
    }

    private static JsonElement Structured(CallToolResult result) =>
        result.StructuredContent is { } structured
            ? JsonDocument.Parse(structured.GetRawText()).RootElement
            : throw new Xunit.Sdk.XunitException($"The tool returned no structuredContent: {Text(result)}");

    private static string Content(JsonElement fetched) => fetched.GetProperty("content").GetString()!;

    private static string Text(CallToolResult result) =>
        string.Join(Environment.NewLine, result.Content.OfType<TextContentBlock>().Select(t => t.Text));
}
