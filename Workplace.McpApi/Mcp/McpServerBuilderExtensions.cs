using ModelContextProtocol;

namespace Workplace.McpApi.Mcp;

public static class McpServerBuilderExtensions
{
    /// <summary>
    /// SEP-2164: a resources/read for a URI that does not exist SHOULD name that URI in the error's data, so a
    /// client can tell which of its reads failed. The SDK sets only the message; this adds <c>data.uri</c>.
    /// </summary>
    public static IMcpServerBuilder WithResourceUriInErrors(this IMcpServerBuilder builder) =>
        builder.WithRequestFilters(filters => filters.AddReadResourceFilter(next => async (request, cancellationToken) =>
        {
            try
            {
                return await next(request, cancellationToken);
            }
            catch (McpProtocolException e) when (e.ErrorCode is McpErrorCode.InvalidParams or McpErrorCode.ResourceNotFound && !e.Data.Contains("uri"))
            {
                e.Data["uri"] = request.Params?.Uri;
                throw;
            }
        }));
}
