using System.Net;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Workplace.AppHost;

namespace Workplace.Tests.Graph;

public sealed class WholeGraphTests(GraphFixture fixture) : IClassFixture<GraphFixture>
{
    // samples/workspace/engineering/runbooks/kestrel-firmware-rollback.md: its title and its body carry the phrase.
    private const string Phrase = "Kestrel gripper firmware rollback";
    private const string ExpectedTitleFragment = "Firmware Rollback";

    [Fact]
    public async Task Graph_RunsRedisAndBothServices()
    {
        Assert.NotNull(fixture.Graph.Redis);
        Assert.True(await fixture.Graph.Redis.PingAsync(CancellationToken.None), "redis-server does not answer PING.");
        Assert.Equal([WorkplaceGraph.Connectors, WorkplaceGraph.McpApi], fixture.Graph.Services.Select(s => s.Name));
        Assert.All(fixture.Graph.Services, s => Assert.NotNull(s.ProcessId));
    }

    [Fact]
    public void Summary_SaysHowToConnect_AndTheSigningKeyIsNeverPrinted()
    {
        var summary = GraphSummary.Format(fixture.Graph);
        var key = fixture.Graph.Definition.Services[0].Environment["Internal__SigningKey"];

        // Ready to paste: the token goes into a variable, and each client command reads it from there.
        Assert.Contains($"export {GraphSummary.TokenVariable}={fixture.Graph.DevToken}", summary, StringComparison.Ordinal);
        Assert.Contains($"claude mcp add --transport http workplace {fixture.Graph.McpEndpoint} --header \"Authorization: Bearer ${GraphSummary.TokenVariable}\"", summary, StringComparison.Ordinal);
        Assert.Contains($"npx -y @modelcontextprotocol/inspector --cli --server-url {fixture.Graph.McpEndpoint} --transport http --header \"Authorization: Bearer ${GraphSummary.TokenVariable}\" --method tools/list", summary, StringComparison.Ordinal);
        Assert.DoesNotContain(key, summary, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Output.Lines, l => l.Contains(key, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(WorkplaceGraph.Connectors, "/health")]
    [InlineData(WorkplaceGraph.Connectors, "/alive")]
    [InlineData(WorkplaceGraph.McpApi, "/health")]
    [InlineData(WorkplaceGraph.McpApi, "/alive")]
    public async Task HealthEndpoints_AnswerHealthyJson(string service, string path)
    {
        using var http = fixture.CreateHttpClient();

        using var response = await http.GetAsync(new Uri(fixture.Graph[service].Url, path));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore, "health answers must not be cached");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        var checks = body.RootElement.GetProperty("checks");
        if (path == "/health" && service == WorkplaceGraph.McpApi)
        {
            // mcpapi's readiness includes Redis, which the graph started.
            Assert.Equal("Healthy", checks.GetProperty("redis").GetProperty("status").GetString());
        }
        else
        {
            Assert.False(checks.TryGetProperty("redis", out _), "/alive, and connectors (which never uses Redis), must not depend on Redis");
        }
    }

    [Fact]
    public async Task Mcp_ListsTheTools()
    {
        using var http = fixture.CreateHttpClient();
        await using var client = await fixture.ConnectMcpAsync(http);

        var tools = await client.ListToolsAsync();

        Assert.Subset(tools.Select(t => t.Name).ToHashSet(), new HashSet<string> { "search", "fetch", "list_sources" });
    }

    [Fact]
    public async Task Mcp_SearchFindsTheDocumentFirst_AndFetchInTwoRangesJoinsToTheWhole()
    {
        using var http = fixture.CreateHttpClient();
        await using var client = await fixture.ConnectMcpAsync(http);

        var search = await client.CallToolAsync("search", new Dictionary<string, object?>
        {
            ["query"] = Phrase,
            ["sources"] = new[] { "files" },
            ["max_results"] = 5,
        });

        Assert.True(search.IsError is not true, Text(search) + Environment.NewLine + fixture.Output.Tail());
        var results = Structured(search).GetProperty("results");
        Assert.True(results.GetArrayLength() > 0, $"no results for \"{Phrase}\": {Text(search)}");
        var first = results[0];
        Assert.Contains(ExpectedTitleFragment, first.GetProperty("title").GetString(), StringComparison.OrdinalIgnoreCase);
        var id = first.GetProperty("id").GetString()!;

        var whole = await FetchAsync(client, id, 0, 100_000);
        var total = whole.GetProperty("total_chars").GetInt32();
        Assert.True(total > 1, "the document is empty");
        var half = total / 2;
        var head = await FetchAsync(client, id, 0, half);
        Assert.True(head.GetProperty("truncated").GetBoolean());
        var next = head.GetProperty("next_offset").GetInt32();
        var tail = await FetchAsync(client, id, next, 100_000);
        Assert.Equal(JsonValueKind.Null, tail.GetProperty("next_offset").ValueKind);

        Assert.Equal(Content(whole), Content(head) + Content(tail));
        Assert.Contains(Phrase, Content(whole), StringComparison.OrdinalIgnoreCase);
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
