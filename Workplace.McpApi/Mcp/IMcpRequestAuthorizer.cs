using ModelContextProtocol.Protocol;

namespace Workplace.McpApi.Mcp;

/// <summary>
/// Decides, before a tool call or resource read reaches the MCP server, whether the caller may make it. The endpoint
/// asks every registered authorizer; the first non-null answer is sent instead of running the request.
/// </summary>
public interface IMcpRequestAuthorizer
{
    ValueTask<IResult?> AuthorizeAsync(HttpContext context, JsonRpcRequest request);
}
