using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Workplace.ServiceDefaults.ConnectorApi;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Mcp;

/// <summary>search, fetch, list_sources and the document resource through the real MCP client, McpApi and Connectors.</summary>
public sealed class SearchEndToEndTests(McpApiWithConnectors graph) : IClassFixture<McpApiWithConnectors>
{
    private Task<McpClient> ConnectAsync(string revision = "2026-07-28") => McpClientSession.ConnectAsync(graph.McpApi, revision);

    private static JsonElement Structured(CallToolResult result) =>
        result.StructuredContent ?? throw new Xunit.Sdk.XunitException($"No structuredContent: {JsonSerializer.Serialize(result.Content)}");

    [Theory]
    [InlineData("2026-07-28")]
    [InlineData("2025-11-25")]
    public async Task Search_finds_files_documents_with_ids_links_and_a_status_for_every_source(string revision)
    {
        await using var client = await ConnectAsync(revision);

        var result = await client.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = "travel policy" });

        Assert.NotEqual(true, result.IsError);
        var structured = Structured(result);
        var results = structured.GetProperty("results").EnumerateArray().ToList();
        Assert.NotEmpty(results);
        Assert.Equal("Travel policy", results[0].GetProperty("title").GetString());
        Assert.All(results, r => Assert.StartsWith("files:", r.GetProperty("id").GetString(), StringComparison.Ordinal));
        Assert.True(results.Zip(results.Skip(1)).All(p => p.First.GetProperty("score").GetDouble() >= p.Second.GetProperty("score").GetDouble()), "Results must be ordered by score.");

        var statuses = structured.GetProperty("sources").EnumerateArray().ToDictionary(s => s.GetProperty("source").GetString()!, s => s);
        Assert.Equal("ok", statuses["files"].GetProperty("status").GetString());
        Assert.Equal(results.Count, statuses["files"].GetProperty("count").GetInt32());
        foreach (var missing in new[] { "google_drive", "notion", "sharepoint" })
        {
            // Nothing to connect: no connector is deployed for it, and the status and message say so instead of linking nowhere.
            Assert.Equal("not_deployed", statuses[missing].GetProperty("status").GetString());
            Assert.False(statuses[missing].TryGetProperty("connect_url", out _));
            Assert.Contains("is not deployed on this server", statuses[missing].GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        var links = result.Content.OfType<ResourceLinkBlock>().ToList();
        Assert.Equal(results.Count, links.Count);
        Assert.All(links, l => Assert.StartsWith("workplace://documents/files/", l.Uri, StringComparison.Ordinal));
        Assert.Contains("Travel policy", result.Content.OfType<TextContentBlock>().First().Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-07-28")]
    [InlineData("2025-11-25")]
    public async Task A_search_answer_serialized_once_is_a_whole_call_tool_result_of_the_callers_revision(string revision)
    {
        using var http = graph.McpApi.Auth.CreateClient(subject: "serialized-" + revision);
        var wire = new McpWire(http, graph.McpApi.McpUrl);
        var call = new JsonObject { ["name"] = "search", ["arguments"] = new JsonObject { ["query"] = "travel policy", ["sources"] = new JsonArray("files") } };
        Task<WireResponse> SearchAsync() => revision == McpWire.Modern
            ? wire.ModernAsync("tools/call", (JsonObject)call.DeepClone(), "search")
            : wire.LegacyAsync(revision, "tools/call", (JsonObject)call.DeepClone());

        var miss = await SearchAsync();
        var hit = await SearchAsync();

        Assert.Equal(200, miss.Status);
        Assert.True(JsonNode.DeepEquals(miss.Result, hit.Result), $"The cached answer differs from the first:\n{miss.Result}\n{hit.Result}");
        // resultType is a 2026-07-28 field, which earlier clients reject as unknown: the SDK adds it to what it serializes.
        Assert.Equal(revision == McpWire.Modern ? "complete" : null, hit.Result["resultType"]?.GetValue<string>());
        var result = hit.Result.Deserialize<CallToolResult>(McpJsonUtilities.DefaultOptions)!;
        var reserialized = JsonSerializer.SerializeToNode(result, McpJsonUtilities.DefaultOptions)!.AsObject();
        Assert.True(JsonNode.DeepEquals(hit.Result, reserialized), $"The answer holds what a CallToolResult does not:\n{hit.Result}\n{reserialized}");
        var results = Structured(result).GetProperty("results").GetArrayLength();
        Assert.Equal("Travel policy", Structured(result).GetProperty("results")[0].GetProperty("title").GetString());
        Assert.Equal(results, result.Content.OfType<ResourceLinkBlock>().Count());
        Assert.StartsWith(FormattableString.Invariant($"{results} result(s) for \"travel policy\"."), result.Content.OfType<TextContentBlock>().Single().Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Max_results_and_include_content_shape_the_answer()
    {
        await using var client = await ConnectAsync();

        var result = await client.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = "travel", ["max_results"] = 1, ["include_content"] = true, ["sources"] = new[] { "files" } });

        var only = Assert.Single(Structured(result).GetProperty("results").EnumerateArray());
        Assert.Contains("economy flights", only.GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.False(only.GetProperty("content_truncated").GetBoolean());
    }

    [Fact]
    public async Task Include_content_stays_within_its_budget_and_says_where_fetch_goes_on()
    {
        await using var client = await ConnectAsync();

        var hit = Assert.Single(Structured(await client.CallToolAsync("search", new Dictionary<string, object?>
        {
            ["query"] = "lighthouse ledger", ["max_results"] = 1, ["include_content"] = true, ["sources"] = new[] { "files" },
        })).GetProperty("results").EnumerateArray());
        var content = hit.GetProperty("content").GetString()!;
        var rest = Structured(await client.CallToolAsync("fetch", new Dictionary<string, object?>
        {
            ["id"] = hit.GetProperty("id").GetString(), ["offset"] = content.Length, ["max_chars"] = 100_000,
        }));

        Assert.True(hit.GetProperty("content_truncated").GetBoolean());
        Assert.Equal(McpApiWithConnectors.MaxContentChars, content.Length);
        Assert.Equal(graph.LongText, content + rest.GetProperty("content").GetString());
    }

    [Fact]
    public async Task Fetch_pages_through_a_long_document_without_losing_a_character()
    {
        await using var client = await ConnectAsync();
        var hit = Structured(await client.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = "lighthouse ledger" }))
            .GetProperty("results")[0];
        var id = hit.GetProperty("id").GetString()!;

        var pieces = new List<string>();
        int? offset = 0;
        var total = -1;
        while (offset is { } start)
        {
            var page = Structured(await client.CallToolAsync("fetch", new Dictionary<string, object?> { ["id"] = id, ["offset"] = start, ["max_chars"] = 5000 }));
            Assert.Equal(start, page.GetProperty("offset").GetInt32());
            total = page.GetProperty("total_chars").GetInt32();
            pieces.Add(page.GetProperty("content").GetString()!);
            offset = page.GetProperty("next_offset").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next_offset").GetInt32();
            Assert.Equal(offset is not null, page.GetProperty("truncated").GetBoolean());
            Assert.True(pieces.Count < 100, "fetch did not reach the end of the document.");
        }

        Assert.True(pieces.Count > 1, "A 5 000-character page should not hold the whole ledger.");
        Assert.Equal(total, pieces.Sum(p => p.Length));
        Assert.Contains("Entry 399: the lighthouse keeper", string.Concat(pieces), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_answers_markdown_with_title_url_and_position()
    {
        await using var client = await ConnectAsync();
        var id = Structured(await client.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = "receipts" })).GetProperty("results")[0].GetProperty("id").GetString()!;

        var result = await client.CallToolAsync("fetch", new Dictionary<string, object?> { ["id"] = id });

        var text = Assert.IsType<TextContentBlock>(result.Content[0]).Text;
        Assert.StartsWith("# Expenses", text, StringComparison.Ordinal);
        Assert.Contains($"Id: {id}", text, StringComparison.Ordinal);
        Assert.Contains("(end of document)", text, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, Structured(result).GetProperty("next_offset").ValueKind);
    }

    [Fact]
    public async Task Fetch_of_a_well_formed_but_unknown_id_says_how_to_get_a_valid_one()
    {
        await using var client = await ConnectAsync();

        var result = await client.CallToolAsync("fetch", new Dictionary<string, object?> { ["id"] = "files:bm8tc3VjaC1maWxlLm1k" });

        Assert.True(result.IsError);
        Assert.Contains("Use an id exactly as search returned it", Assert.IsType<TextContentBlock>(result.Content[0]).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_search_result_link_reads_as_a_markdown_resource()
    {
        await using var client = await ConnectAsync();
        var search = await client.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = "travel policy", ["max_results"] = 1 });
        var link = search.Content.OfType<ResourceLinkBlock>().First();

        var read = await client.ReadResourceAsync(link.Uri);

        var contents = Assert.IsType<TextResourceContents>(Assert.Single(read.Contents));
        Assert.Equal("text/markdown", contents.MimeType);
        Assert.StartsWith("# Travel policy", contents.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_sources_shows_files_connected_and_the_rest_as_not_deployed()
    {
        await using var client = await ConnectAsync();

        var sources = Structured(await client.CallToolAsync("list_sources", new Dictionary<string, object?>()))
            .GetProperty("sources").EnumerateArray().ToDictionary(s => s.GetProperty("source").GetString()!, s => s);

        Assert.True(sources["files"].GetProperty("connected").GetBoolean());
        Assert.True(sources["files"].GetProperty("granted").GetBoolean());
        Assert.False(sources["files"].TryGetProperty("connect_url", out _));
        Assert.False(sources["notion"].GetProperty("connected").GetBoolean());
        Assert.False(sources["notion"].TryGetProperty("connect_url", out _));
        Assert.Contains("Not deployed on this server", sources["notion"].GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_identical_search_by_the_same_user_is_answered_from_the_cache()
    {
        await using var client = await ConnectAsync();
        var arguments = new Dictionary<string, object?> { ["query"] = "grey heron", ["sources"] = new[] { "files" } };
        var first = Structured(await client.CallToolAsync("search", arguments));
        Assert.Single(first.GetProperty("results").EnumerateArray());

        File.Delete(Path.Combine(graph.Root, "ephemeral-heron.md"));
        await Poll.UntilAsync(async () => (await SearchConnectorsDirectlyAsync("grey heron")) == 0, TimeSpan.FromSeconds(20), "connectors to drop the deleted file");

        var second = Structured(await client.CallToolAsync("search", arguments));
        Assert.Equal(first.GetRawText(), second.GetRawText());
        // The cache holds the ranked list, which max_results only cuts: the same words with another page size are a hit.
        var samePages = Structured(await client.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = "grey  heron ", ["sources"] = new[] { "files" }, ["max_results"] = 9 }));
        Assert.Single(samePages.GetProperty("results").EnumerateArray());
        var uncached = Structured(await client.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = "grey heron", ["sources"] = new[] { "files" }, ["modified_after"] = "2000-01-01T00:00:00Z" }));
        Assert.Empty(uncached.GetProperty("results").EnumerateArray());
    }

    [Fact]
    public async Task Each_source_search_is_measured_by_source_and_status()
    {
        var measured = new System.Collections.Concurrent.ConcurrentBag<(string Source, string Status)>();
        // Only this app's meter: other tests' apps in this process publish the same instrument names.
        var scope = graph.McpApi.Services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == scope && instrument.Meter.Name == McpApi.Search.SearchMetrics.MeterName && instrument.Name == "workplace.search.source.requests")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var map = tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString());
            measured.Add((map["source"]!, map["status"]!));
        });
        listener.Start();
        await using var client = await ConnectAsync();

        await client.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = "hotels city cap", ["sources"] = new[] { "files", "notion" } });

        Assert.Contains(("files", "ok"), measured);
        Assert.Contains(("notion", "not_deployed"), measured);
    }

    private async Task<int> SearchConnectorsDirectlyAsync(string query)
    {
        using var http = new HttpClient { BaseAddress = graph.ConnectorsUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            new InternalAssertion(graph.Key).Create(new InternalPrincipal("probe", new HashSet<string> { "files" })));
        using var response = await http.PostAsJsonAsync(ConnectorRoutes.Search("files"), new { query, max_results = 10 });
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").GetArrayLength();
    }
}
