using Microsoft.Net.Http.Headers;
using ModelContextProtocol;

namespace Workplace.McpApi.Mcp;

/// <summary>
/// The SDK reads the body with <c>ReadFromJsonAsync</c>, which throws on a missing or non-JSON Content-Type, so the
/// client would get a bare 500. Answer 415 with a JSON-RPC error that names the header to send.
/// </summary>
internal sealed class ContentTypeFilter(ILogger<ContentTypeFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        MediaTypeHeaderValue.TryParse(context.HttpContext.Request.ContentType, out var contentType) && contentType.MatchesMediaType("application/json")
            ? await next(context)
            : JsonRpcRefusal.Create(logger, StatusCodes.Status415UnsupportedMediaType, McpErrorCode.InvalidRequest,
                "Unsupported Media Type: send one JSON-RPC message with 'Content-Type: application/json'.");
}
