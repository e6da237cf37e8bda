namespace Workplace.McpApi.Mcp;

internal static partial class McpEndpointLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "MCP request refused with {StatusCode} (JSON-RPC {ErrorCode}): {Reason}")]
    public static partial void Refused(ILogger logger, int statusCode, int errorCode, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "MCP {Method} refused by {Authorizer}")]
    public static partial void NotAuthorized(ILogger logger, string method, string authorizer);
}
