using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Workplace.McpApi.Mcp;

/// <summary>An HTTP refusal with a JSON-RPC error body, as the SDK's own refusals are, so a client reads every one alike.</summary>
internal static class JsonRpcRefusal
{
    private static readonly JsonTypeInfo<JsonRpcError> s_errorType =
        (JsonTypeInfo<JsonRpcError>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcError));

    public static IResult Create(ILogger logger, int status, McpErrorCode code, string message)
    {
        McpEndpointLog.Refused(logger, status, (int)code, message);
        return Results.Json(new JsonRpcError { Error = new JsonRpcErrorDetail { Code = (int)code, Message = message } }, s_errorType, statusCode: status);
    }
}
