using System.Text.Json.Nodes;

namespace Workplace.Tests.Mcp;

/// <summary>
/// Hostile and malformed input to POST /mcp: each gets the right status and a JSON-RPC error that says what to do,
/// and the server keeps serving (a valid request right after succeeds).
/// </summary>
public sealed class McpEndpointBadInputTests(McpApiFactory factory) : IClassFixture<McpApiFactory>, IDisposable
{
    private readonly HttpClient _http = factory.Auth.CreateClient();
    private McpWire Wire => new(_http, factory.McpUrl);

    public void Dispose() => _http.Dispose();

    private async Task AssertStillServesAsync()
    {
        var list = await Wire.ModernAsync("tools/list");
        Assert.Equal(200, list.Status);
        Assert.Contains("search", list.Result["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal("complete", list.Result["resultType"]!.GetValue<string>());
        Assert.Equal("public", list.Result["cacheScope"]!.GetValue<string>());
        Assert.Equal(300_000, list.Result["ttlMs"]!.GetValue<long>());
    }

    private static void AssertRefused(WireResponse response, int status, int code, string mentions)
    {
        Assert.True(response.Status == status, $"Expected {status}, got {response}");
        Assert.Equal(code, response.ErrorCode);
        Assert.Contains(mentions, response.ErrorMessage, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,")]
    [InlineData("")]
    public async Task Malformed_json_is_a_parse_error(string body)
    {
        AssertRefused(await Wire.SendAsync(body), 400, -32700, "not well-formed JSON");
        await AssertStillServesAsync();
    }

    [Theory]
    [InlineData("{\"hello\":\"world\"}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"tools/list\"}")]
    [InlineData("42")]
    public async Task Json_that_is_not_a_json_rpc_message_is_an_invalid_request(string body)
    {
        var response = await Wire.SendAsync(body);

        Assert.Equal(400, response.Status);
        Assert.Equal(-32600, response.ErrorCode);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task Batches_are_refused()
    {
        var batch = new JsonArray(McpWire.Request("tools/list", id: 1), McpWire.Request("tools/list", id: 2)).ToJsonString();

        AssertRefused(await Wire.SendAsync(batch), 400, -32600, "batches are not supported");
        await AssertStillServesAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Oversized_bodies_are_refused_with_a_json_rpc_error(bool chunked)
    {
        var huge = McpWire.Request("tools/call", new JsonObject { ["name"] = "search", ["arguments"] = new JsonObject { ["query"] = new string('a', 100_000) } });

        AssertRefused(await Wire.SendAsync(huge.ToJsonString(), chunked: chunked), 413, -32600, "at most 65536 bytes");
        await AssertStillServesAsync();
    }

    [Theory]
    [InlineData("application/json", 406)]
    [InlineData("text/event-stream", 406)]
    [InlineData("text/html", 406)]
    public async Task Accept_must_list_json_and_event_stream(string accept, int status)
    {
        var response = await Wire.SendAsync(McpWire.Request("tools/list").ToJsonString(), accept: accept);

        Assert.Equal(status, response.Status);
        Assert.Contains("Accept", response.ErrorMessage, StringComparison.Ordinal);
        await AssertStillServesAsync();
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData(null)]
    public async Task Content_type_must_be_json(string? contentType)
    {
        var response = await Wire.SendAsync(McpWire.Request("tools/list").ToJsonString(), contentType: contentType);

        AssertRefused(response, 415, -32600, "Content-Type: application/json");
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task An_unsupported_protocol_version_lists_the_supported_ones()
    {
        var response = await Wire.SendAsync(McpWire.Request("tools/list").ToJsonString(), new Dictionary<string, string> { ["MCP-Protocol-Version"] = "1999-01-01" });

        AssertRefused(response, 400, -32022, "1999-01-01");
        Assert.Contains("2026-07-28", response.Message["error"]!["data"]!["supported"]!.AsArray().Select(v => v!.GetValue<string>()));
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task A_2026_request_without_meta_is_invalid_params()
    {
        var response = await Wire.SendAsync(McpWire.Request("tools/list").ToJsonString(),
            new Dictionary<string, string> { ["MCP-Protocol-Version"] = McpWire.Modern, ["Mcp-Method"] = "tools/list" });

        AssertRefused(response, 400, -32602, "io.modelcontextprotocol/protocolVersion");
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task A_2026_request_whose_header_and_meta_disagree_is_a_header_mismatch()
    {
        var parameters = new JsonObject { ["_meta"] = McpWire.ModernMeta() };
        parameters["_meta"]!["io.modelcontextprotocol/protocolVersion"] = "2025-11-25";
        var response = await Wire.SendAsync(McpWire.Request("tools/list", parameters).ToJsonString(),
            new Dictionary<string, string> { ["MCP-Protocol-Version"] = McpWire.Modern, ["Mcp-Method"] = "tools/list" });

        AssertRefused(response, 400, -32020, "does not match");
        await AssertStillServesAsync();
    }

    [Theory]
    [InlineData(null, "search", "Missing required Mcp-Method")]
    [InlineData("tools/list", "search", "Mcp-Method")]
    [InlineData("tools/call", null, "Missing required Mcp-Name")]
    [InlineData("tools/call", "fetch", "Mcp-Name")]
    public async Task A_2026_tool_call_needs_matching_method_and_name_headers(string? method, string? name, string mentions)
    {
        var parameters = new JsonObject { ["name"] = "search", ["arguments"] = new JsonObject { ["query"] = "roadmap" }, ["_meta"] = McpWire.ModernMeta() };
        var headers = new Dictionary<string, string> { ["MCP-Protocol-Version"] = McpWire.Modern };
        if (method is not null)
        {
            headers["Mcp-Method"] = method;
        }
        if (name is not null)
        {
            headers["Mcp-Name"] = name;
        }

        AssertRefused(await Wire.SendAsync(McpWire.Request("tools/call", parameters).ToJsonString(), headers), 400, -32020, mentions);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task A_2026_request_without_client_capabilities_is_invalid_params()
    {
        var parameters = new JsonObject { ["_meta"] = new JsonObject { ["io.modelcontextprotocol/protocolVersion"] = McpWire.Modern } };
        var response = await Wire.SendAsync(McpWire.Request("tools/list", parameters).ToJsonString(),
            new Dictionary<string, string> { ["MCP-Protocol-Version"] = McpWire.Modern, ["Mcp-Method"] = "tools/list" });

        AssertRefused(response, 400, -32602, "clientCapabilities");
        await AssertStillServesAsync();
    }

    [Theory]
    [InlineData("initialize")]
    [InlineData("ping")]
    [InlineData("resources/subscribe")]
    public async Task Methods_removed_in_2026_are_not_found(string method)
    {
        AssertRefused(await Wire.ModernAsync(method), 404, -32601, "not available on protocol version");
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task Unknown_methods_are_not_found()
    {
        var response = await Wire.ModernAsync("documents/shred");

        Assert.Equal(404, response.Status);
        Assert.Equal(-32601, response.ErrorCode);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task Unknown_tools_are_a_json_rpc_error_not_a_tool_error()
    {
        var response = await Wire.CallToolAsync("delete_everything", []);

        Assert.NotNull(response.ErrorCode);
        Assert.Contains("delete_everything", response.ErrorMessage, StringComparison.Ordinal);
        await AssertStillServesAsync();
    }

    [Theory]
    [InlineData("http://evil.example.com")]
    [InlineData("https://127.0.0.1.evil.example.com")]
    [InlineData("null")]
    public async Task Foreign_origins_are_forbidden(string origin)
    {
        var response = await Wire.SendAsync(McpWire.Request("tools/list").ToJsonString(), new Dictionary<string, string> { ["Origin"] = origin });

        AssertRefused(response, 403, -32600, "Origin");
        await AssertStillServesAsync();
    }

    [Theory]
    [InlineData("http://localhost:6274")]
    [InlineData("http://127.0.0.1:3000")]
    public async Task Loopback_origins_are_allowed(string origin)
    {
        var response = await Wire.SendAsync(McpWire.Request("tools/list").ToJsonString(), new Dictionary<string, string> { ["Origin"] = origin });

        Assert.Equal(200, response.Status);
    }

    [Fact]
    public async Task Foreign_hosts_are_forbidden()
    {
        var response = await Wire.SendAsync(McpWire.Request("tools/list").ToJsonString(), new Dictionary<string, string> { ["Host"] = "evil.example.com" });

        AssertRefused(response, 403, -32600, "Host");
        await AssertStillServesAsync();
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("DELETE")]
    public async Task Get_and_delete_are_not_allowed(string method)
    {
        var response = await Wire.SendAsync("", method: new HttpMethod(method), accept: "text/event-stream");

        Assert.Equal(405, response.Status);
        Assert.Equal("POST", response.Headers["Allow"]);
        await AssertStillServesAsync();
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("files:..%2f..%2fetc%2fpasswd")]
    [InlineData("files:../../etc/passwd")]
    [InlineData("files:abc\u0000def")]
    [InlineData("unknown_source:abc")]
    [InlineData("files:")]
    public async Task Hostile_fetch_ids_are_tool_errors_that_say_what_an_id_looks_like(string id)
    {
        var response = await Wire.CallToolAsync("fetch", new JsonObject { ["id"] = id });

        Assert.Equal(200, response.Status);
        Assert.True(response.IsToolError, response.ToString());
        Assert.Contains("exactly as search returned it", response.ToolText, StringComparison.Ordinal);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task Huge_fetch_ids_are_tool_errors()
    {
        var response = await Wire.CallToolAsync("fetch", new JsonObject { ["id"] = "files:" + new string('A', 5000) });

        Assert.True(response.IsToolError, response.ToString());
        Assert.Contains("'id' must hold 3 to 512 characters", response.ToolText, StringComparison.Ordinal);
        await AssertStillServesAsync();
    }

    public static TheoryData<string, string, string> OutOfRange => new()
    {
        { "search", """{"query":""}""", "'query' must hold 1 to 500 characters" },
        { "search", $$"""{"query":"{{new string('q', 501)}}"}""", "'query' must hold 1 to 500 characters" },
        { "search", """{"query":"   "}""", "'query' must contain more than whitespace" },
        { "search", """{}""", "'query' is required" },
        { "search", """{"query":"x","max_results":0}""", "'max_results' must be an integer from 1 to 50" },
        { "search", """{"query":"x","max_results":51}""", "'max_results' must be an integer from 1 to 50" },
        { "search", """{"query":"x","max_results":2.5}""", "'max_results' must be an integer from 1 to 50" },
        { "search", """{"query":"x","sources":["dropbox"]}""", "'sources' may hold only: google_drive, notion, sharepoint, files" },
        { "search", """{"query":"x","sources":[]}""", "'sources' must name 1 to 5 sources" },
        { "search", """{"query":"x","sources":"files"}""", "'sources' must be an array" },
        { "search", """{"query":"x","include_content":"yes"}""", "'include_content' must be true or false" },
        { "search", """{"query":"x","modified_after":"last tuesday"}""", "'modified_after' must be an RFC 3339 date-time" },
        { "search", """{"query":"x","limit":5}""", "unknown argument 'limit'" },
        { "fetch", """{"id":"files:YQ","offset":-1}""", "'offset' must be an integer from 0" },
        { "fetch", """{"id":"files:YQ","max_chars":100001}""", "'max_chars' must be an integer from 1 to 100000" },
        { "fetch", """{"id":"files:YQ","max_chars":0}""", "'max_chars' must be an integer from 1 to 100000" },
        { "list_sources", """{"verbose":true}""", "unknown argument 'verbose'" },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public async Task Arguments_out_of_range_are_tool_errors_that_say_what_is_allowed(string tool, string arguments, string says)
    {
        var response = await Wire.CallToolAsync(tool, JsonNode.Parse(arguments)!.AsObject());

        Assert.Equal(200, response.Status);
        Assert.True(response.IsToolError, response.ToString());
        Assert.Contains(says, response.ToolText, StringComparison.Ordinal);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task Resource_reads_of_malformed_document_uris_are_invalid_params_naming_the_uri()
    {
        const string uri = "workplace://documents/files/..%2F..%2Fetc%2Fpasswd";
        var response = await Wire.ModernAsync("resources/read", new JsonObject { ["uri"] = uri }, uri);

        Assert.Equal(-32602, response.ErrorCode);
        Assert.Equal(uri, response.Message["error"]!["data"]!["uri"]!.GetValue<string>());
        await AssertStillServesAsync();
    }
}
