using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;

namespace Workplace.Tests.Mcp;

/// <summary>The REST facade: same tools, same validation, same result shape as MCP tools/call.</summary>
public sealed class ToolsApiTests(McpApiWithConnectors graph) : IClassFixture<McpApiWithConnectors>, IDisposable
{
    private readonly HttpClient _http = graph.McpApi.Auth.CreateClient(graph.McpApi.BaseAddress);

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Get_tools_lists_the_mcp_tools_with_their_schemas()
    {
        using var document = JsonDocument.Parse(await _http.GetStringAsync(new Uri("/mcp/tools", UriKind.Relative)));

        var tools = document.RootElement.GetProperty("tools").EnumerateArray().ToList();
        Assert.Equal(["search", "fetch", "list_sources"], tools.Select(t => t.GetProperty("name").GetString()));
        Assert.All(tools, t => Assert.Equal("object", t.GetProperty("inputSchema").GetProperty("type").GetString()));
        Assert.All(tools, t => Assert.Equal("object", t.GetProperty("outputSchema").GetProperty("type").GetString()));
    }

    [Fact]
    public async Task Calling_a_tool_with_invalid_arguments_answers_a_call_tool_result_with_is_error()
    {
        using var response = await _http.PostAsync(new Uri("/mcp/tools/search/call", UriKind.Relative),
            new StringContent("""{"query":"","max_results":99}""", Encoding.UTF8, "application/json"));
        using var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(result.RootElement.GetProperty("isError").GetBoolean());
        var text = result.RootElement.GetProperty("content")[0].GetProperty("text").GetString();
        Assert.Contains("'query' must hold 1 to 500 characters", text, StringComparison.Ordinal);
        Assert.Contains("'max_results' must be an integer from 1 to 50", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("search", """{"query":"travel policy","sources":["files"]}""", false)]
    [InlineData("fetch", """{"id":"files:dHJhdmVsLXBvbGljeS5tZA","max_chars":40}""", false)]
    [InlineData("list_sources", "{}", false)]
    [InlineData("fetch", """{"id":"files:../../etc/passwd"}""", true)]
    public async Task Calling_a_tool_answers_structured_content_like_mcp(string tool, string arguments, bool isError)
    {
        await using var client = await McpClientSession.ConnectAsync(graph.McpApi, "2026-07-28");
        var viaMcp = await client.CallToolAsync(tool, JsonSerializer.Deserialize<Dictionary<string, object?>>(arguments));

        using var response = await _http.PostAsync(new Uri($"/mcp/tools/{tool}/call", UriKind.Relative), new StringContent(arguments, Encoding.UTF8, "application/json"));
        var viaRest = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(isError, viaMcp.IsError ?? false);
        Assert.Equal(isError, viaRest["isError"]?.GetValue<bool>() ?? false);
        Assert.True(isError || viaMcp.StructuredContent is not null, "A successful call must answer structuredContent.");
        var mcpContent = WithoutLatency(viaMcp.StructuredContent is { } structured ? JsonNode.Parse(structured.GetRawText()) : null);
        var restContent = WithoutLatency(viaRest["structuredContent"]?.DeepClone());
        Assert.True(JsonNode.DeepEquals(mcpContent, restContent), $"structuredContent differs.\nMCP:  {mcpContent?.ToJsonString()}\nREST: {restContent?.ToJsonString()}");
        var mcpBlocks = JsonSerializer.SerializeToNode(viaMcp.Content, McpJsonUtilities.DefaultOptions);
        Assert.True(JsonNode.DeepEquals(mcpBlocks, viaRest["content"]), $"content differs.\nMCP:  {mcpBlocks?.ToJsonString()}\nREST: {viaRest["content"]?.ToJsonString()}");
    }

    // Each source's latency_ms measures that one call, so it is the one field two calls may not share.
    private static JsonNode? WithoutLatency(JsonNode? content)
    {
        foreach (var source in content?["sources"]?.AsArray() ?? [])
        {
            source!.AsObject().Remove("latency_ms");
        }
        return content;
    }

    [Fact]
    public async Task An_unknown_tool_is_404_naming_the_tools_there_are()
    {
        using var response = await _http.PostAsJsonAsync(new Uri("/mcp/tools/shred/call", UriKind.Relative), new { });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("search, fetch, list_sources", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"query\":")]
    [InlineData("[\"roadmap\"]")]
    public async Task A_body_that_is_not_a_json_object_is_400(string body)
    {
        using var response = await _http.PostAsync(new Uri("/mcp/tools/search/call", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_foreign_origin_is_403()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/mcp/tools", UriKind.Relative));
        request.Headers.Add("Origin", "https://evil.example.com");
        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
