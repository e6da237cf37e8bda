using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Workplace.Tests.Mcp;

/// <summary>Raw Streamable HTTP requests, for the cases a well-behaved client never sends.</summary>
public sealed class McpWire(HttpClient http, Uri mcpUrl)
{
    public const string Modern = "2026-07-28";

    public static JsonObject ModernMeta() => new()
    {
        ["io.modelcontextprotocol/protocolVersion"] = Modern,
        ["io.modelcontextprotocol/clientCapabilities"] = new JsonObject(),
        ["io.modelcontextprotocol/clientInfo"] = new JsonObject { ["name"] = "workplace-tests", ["version"] = "1.0" },
    };

    public static JsonObject Request(string method, JsonObject? parameters = null, int id = 1) => new()
    {
        ["jsonrpc"] = "2.0",
        ["id"] = id,
        ["method"] = method,
        ["params"] = parameters ?? new JsonObject(),
    };

    /// <summary>A 2026-07-28 request with every header and _meta field right.</summary>
    public Task<WireResponse> ModernAsync(string method, JsonObject? parameters = null, string? name = null)
    {
        parameters ??= new JsonObject();
        parameters["_meta"] = ModernMeta();
        var headers = new Dictionary<string, string> { ["MCP-Protocol-Version"] = Modern, ["Mcp-Method"] = method };
        if (name is not null)
        {
            headers["Mcp-Name"] = name;
        }
        return SendAsync(Request(method, parameters).ToJsonString(), headers);
    }

    /// <summary>A request of an earlier revision: the version in the header only.</summary>
    public Task<WireResponse> LegacyAsync(string version, string method, JsonObject? parameters = null) =>
        SendAsync(Request(method, parameters).ToJsonString(), new Dictionary<string, string> { ["MCP-Protocol-Version"] = version });

    public Task<WireResponse> CallToolAsync(string tool, JsonObject arguments) =>
        ModernAsync("tools/call", new JsonObject { ["name"] = tool, ["arguments"] = arguments }, tool);

    public async Task<WireResponse> SendAsync(
        string body, IReadOnlyDictionary<string, string>? headers = null, string accept = "application/json, text/event-stream",
        string? contentType = "application/json", HttpMethod? method = null, bool chunked = false)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Post, mcpUrl);
        if (method is null || method == HttpMethod.Post)
        {
            // A stream of unknown length goes out chunked, without Content-Length.
            request.Content = chunked ? new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body))) : new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
            if (chunked)
            {
                request.Headers.TransferEncodingChunked = true;
            }
        }
        request.Headers.TryAddWithoutValidation("Accept", accept);
        foreach (var (key, value) in headers ?? new Dictionary<string, string>())
        {
            if (key.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.Host = value;
            }
            else
            {
                request.Headers.TryAddWithoutValidation(key, value);
            }
        }
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new WireResponse((int)response.StatusCode, response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase),
            response.Content.Headers.ContentType?.MediaType, text);
    }
}

public sealed record WireResponse(int Status, IReadOnlyDictionary<string, string> Headers, string? ContentType, string Body)
{
    /// <summary>The JSON-RPC message: the body itself, or the last data line of an SSE stream.</summary>
    public JsonObject Message
    {
        get
        {
            var json = ContentType == "text/event-stream"
                ? Body.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l[6..]).LastOrDefault()
                : Body;
            Assert.False(string.IsNullOrEmpty(json), $"No JSON-RPC message in the {Status} response: {Body}");
            return JsonNode.Parse(json!)!.AsObject();
        }
    }

    public int? ErrorCode => Message["error"]?["code"]?.GetValue<int>();

    public string ErrorMessage => Message["error"]?["message"]?.GetValue<string>() ?? "";

    public JsonObject Result => Message["result"]?.AsObject() ?? throw new Xunit.Sdk.XunitException($"No result in: {Body}");

    public bool IsToolError => Result["isError"]?.GetValue<bool>() == true;

    public string ToolText => string.Join("\n", Result["content"]!.AsArray().Where(c => c!["type"]!.GetValue<string>() == "text").Select(c => c!["text"]!.GetValue<string>()));

    public override string ToString() => $"{Status} {ContentType}: {Body}";
}
