using ModelContextProtocol;

namespace Workplace.McpApi.Mcp;

/// <summary>
/// DNS-rebinding protection, which the MCP Streamable HTTP transport asks of servers: the SDK's handler checks neither
/// Host nor Origin, so a page on a hostile site could drive a loopback server through the user's browser.
/// </summary>
internal sealed class OriginFilter(RequestOriginPolicy policy, ILogger<OriginFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        policy.Check(context.HttpContext.Request) is { } problem
            ? JsonRpcRefusal.Create(logger, StatusCodes.Status403Forbidden, McpErrorCode.InvalidRequest, problem)
            : await next(context);
}
