using ModelContextProtocol.Protocol;

namespace Workplace.McpApi.Mcp;

/// <summary>
/// Asks every <see cref="IMcpRequestAuthorizer"/> before a tool call or resource read runs. The SDK's authorization
/// filters know only a policy per tool or resource, not the sources a call's arguments name, and answer a refusal
/// with a JSON-RPC -32600 inside a 200, which a client cannot act on; the MCP authorization spec asks for HTTP 403
/// with a WWW-Authenticate challenge naming the scopes, so the client can step up.
/// </summary>
internal sealed class RequestAuthorizationFilter(IEnumerable<IMcpRequestAuthorizer> authorizers, ILogger<RequestAuthorizationFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (Guarded(context.HttpContext) is { } request)
        {
            foreach (var authorizer in authorizers)
            {
                if (await authorizer.AuthorizeAsync(context.HttpContext, request) is { } refusal)
                {
                    McpEndpointLog.NotAuthorized(logger, request.Method, authorizer.GetType().Name);
                    return refusal;
                }
            }
        }
        return await next(context);
    }

    // A body that is no JSON-RPC message is left to the SDK, which says what is wrong with it.
    private static JsonRpcRequest? Guarded(HttpContext context)
    {
        var body = context.Features.Get<McpRequestBody>() ?? throw new InvalidOperationException($"{nameof(RequestBodyFilter)} must run before {nameof(RequestAuthorizationFilter)}.");
        return body.Message is JsonRpcRequest { Method: RequestMethods.ToolsCall or RequestMethods.ResourcesRead } request ? request : null;
    }
}
