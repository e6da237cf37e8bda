using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using Workplace.McpApi.Auth;
using Workplace.McpApi.Mcp;

namespace Workplace.McpApi.Tools;

/// <summary>
/// Checks, before a tool call or resource read runs, that the caller's token grants every source it names, so a
/// refusal is an HTTP 403 challenge the client can act on (step-up) rather than a tool error.
/// </summary>
public sealed class ToolAccessAuthorizer(ToolCatalog catalog, ISourceAccess access) : IMcpRequestAuthorizer
{
    public ValueTask<IResult?> AuthorizeAsync(HttpContext context, JsonRpcRequest request)
    {
        IReadOnlyCollection<string> sources = request.Method switch
        {
            RequestMethods.ToolsCall => ToolSources(request.Params),
            RequestMethods.ResourcesRead => DocumentIds.TryParseUri(request.Params?["uri"] is JsonValue uri && uri.TryGetValue(out string? text) ? text : null, out var source, out _)
                ? [source]
                : [],
            _ => [],
        };
        return ValueTask.FromResult(access.Authorize(context, sources));
    }

    /// <summary>The sources a tool call names; empty for unknown tools (the MCP server answers those).</summary>
    public IReadOnlyCollection<string> ToolSources(string toolName, IDictionary<string, System.Text.Json.JsonElement>? arguments) =>
        catalog.Find(toolName) is { } entry ? entry.RequestedSources(arguments) : [];

    private IReadOnlyCollection<string> ToolSources(JsonNode? parameters) =>
        parameters?["name"] is JsonValue name && name.TryGetValue(out string? toolName)
            ? ToolSources(toolName, ToolArguments.FromNode(parameters["arguments"]))
            : [];
}
