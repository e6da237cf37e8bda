using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace Workplace.Tests.Mcp;

/// <summary>The tool surface as an MCP client sees it, over the 2026-07-28 path and the 2025 initialize path.</summary>
public sealed class McpToolsTests(McpApiFactory factory) : IClassFixture<McpApiFactory>
{
    public static TheoryData<string> Revisions => new() { "2026-07-28", "2025-11-25", "2025-06-18" };

    [Theory]
    [MemberData(nameof(Revisions))]
    public async Task Tools_list_offers_search_fetch_and_list_sources_with_titles_schemas_and_read_only_annotations(string revision)
    {
        await using var client = await McpClientSession.ConnectAsync(factory, revision);

        var tools = (await client.ListToolsAsync()).ToDictionary(t => t.Name, t => t.ProtocolTool);

        Assert.Equal(["fetch", "list_sources", "search"], tools.Keys.Order(StringComparer.Ordinal));
        foreach (var tool in tools.Values)
        {
            Assert.False(string.IsNullOrWhiteSpace(tool.Title));
            Assert.False(string.IsNullOrWhiteSpace(tool.Description));
            Assert.True(tool.Annotations?.ReadOnlyHint, $"{tool.Name} must be marked read-only.");
            Assert.False(tool.Annotations?.DestructiveHint ?? true, $"{tool.Name} must be marked non-destructive.");
            Assert.Equal(JsonValueKind.Object, tool.OutputSchema?.ValueKind);
            Assert.False(tool.InputSchema.GetProperty("additionalProperties").GetBoolean());
        }
        Assert.True(tools["search"].Annotations!.OpenWorldHint);
        Assert.True(tools["fetch"].Annotations!.IdempotentHint);
    }

    [Fact]
    public async Task The_search_schema_states_the_limits_the_tool_enforces()
    {
        await using var client = await McpClientSession.ConnectAsync(factory, "2026-07-28");
        var search = (await client.ListToolsAsync()).Single(t => t.Name == "search").ProtocolTool;
        var properties = search.InputSchema.GetProperty("properties");

        Assert.Equal(["query"], search.InputSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1, properties.GetProperty("query").GetProperty("minLength").GetInt32());
        Assert.Equal(500, properties.GetProperty("query").GetProperty("maxLength").GetInt32());
        Assert.Equal(5, properties.GetProperty("sources").GetProperty("maxItems").GetInt32());
        Assert.Equal(["google_drive", "notion", "sharepoint", "files"],
            properties.GetProperty("sources").GetProperty("items").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(50, properties.GetProperty("max_results").GetProperty("maximum").GetInt32());
        Assert.Equal(10, properties.GetProperty("max_results").GetProperty("default").GetInt32());
        Assert.Equal("date-time", properties.GetProperty("modified_after").GetProperty("format").GetString());
        Assert.Equal(["ok", "timeout", "error", "rate_limited", "unauthorized", "not_connected", "not_deployed"],
            search.OutputSchema!.Value.GetProperty("properties").GetProperty("sources").GetProperty("items").GetProperty("properties")
                .GetProperty("status").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [MemberData(nameof(Revisions))]
    public async Task Invalid_arguments_come_back_as_a_tool_error_through_the_client(string revision)
    {
        await using var client = await McpClientSession.ConnectAsync(factory, revision);

        var result = await client.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = "roadmap", ["max_results"] = 500 });

        Assert.True(result.IsError);
        Assert.Contains("'max_results' must be an integer from 1 to 50 (got 500)", Assert.IsType<TextContentBlock>(result.Content[0]).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_document_resource_template_is_listed()
    {
        await using var client = await McpClientSession.ConnectAsync(factory, "2026-07-28");

        var templates = await client.ListResourceTemplatesAsync();

        var document = Assert.Single(templates);
        Assert.Equal("workplace://documents/{source}/{id}", document.UriTemplate);
        Assert.Equal("text/markdown", document.MimeType);
    }

    [Fact]
    public async Task Search_answers_with_a_status_per_source_when_connectors_is_unreachable()
    {
        await using var client = await McpClientSession.ConnectAsync(factory, "2026-07-28");

        var result = await client.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = "roadmap", ["sources"] = new[] { "files", "notion" } });

        Assert.NotEqual(true, result.IsError);
        var sources = result.StructuredContent!.Value.GetProperty("sources").EnumerateArray().ToList();
        Assert.Equal(["files", "notion"], sources.Select(s => s.GetProperty("source").GetString()));
        // Unreachable is "error" at once, or "timeout" when HTTP resilience retries past the per-source deadline.
        Assert.All(sources, s => Assert.Contains(s.GetProperty("status").GetString(), new[] { "error", "timeout" }));
        Assert.All(sources, s => Assert.Contains("Retry later", s.GetProperty("message").GetString(), StringComparison.Ordinal));
        Assert.Empty(result.StructuredContent.Value.GetProperty("results").EnumerateArray());
    }

    [Fact]
    public async Task List_sources_names_every_source_and_says_states_are_unknown_when_connectors_is_unreachable()
    {
        await using var client = await McpClientSession.ConnectAsync(factory, "2026-07-28");

        var result = await client.CallToolAsync("list_sources", new Dictionary<string, object?>());

        var sources = result.StructuredContent!.Value.GetProperty("sources").EnumerateArray().ToList();
        Assert.Equal(["google_drive", "notion", "sharepoint", "files"], sources.Select(s => s.GetProperty("source").GetString()));
        Assert.All(sources, s => Assert.False(s.GetProperty("connected").GetBoolean()));
        Assert.All(sources, s => Assert.False(s.TryGetProperty("connect_url", out _)));
        Assert.Contains("unreachable", Assert.IsType<TextContentBlock>(result.Content[0]).Text, StringComparison.Ordinal);
    }
}
