using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Workplace.McpApi.Mcp;

/// <summary>
/// MCP Streamable HTTP, stateless, on ModelContextProtocol.Core's transport (the SDK's ASP.NET Core glue does not
/// restore here). One POST carries one JSON-RPC message; each request gets its own short-lived McpServer.
/// Every refusal carries a JSON-RPC error body that says what was wrong and what to send instead.
/// </summary>
public sealed class StreamableHttpEndpoint(
    IOptionsMonitor<McpEndpointOptions> endpointOptions,
    IOptionsFactory<McpServerOptions> serverOptionsFactory,
    IOptions<McpServerOptions> serverOptions,
    RequestOriginPolicy originPolicy,
    IEnumerable<IMcpRequestAuthorizer> authorizers,
    ILoggerFactory loggerFactory)
{
    private static readonly JsonTypeInfo<JsonRpcMessage> s_messageType =
        (JsonTypeInfo<JsonRpcMessage>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage));
    private static readonly JsonTypeInfo<JsonRpcError> s_errorType =
        (JsonTypeInfo<JsonRpcError>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcError));
    private static readonly JsonTypeInfo<UnsupportedProtocolVersionErrorData> s_versionDataType =
        (JsonTypeInfo<UnsupportedProtocolVersionErrorData>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(UnsupportedProtocolVersionErrorData));

    // Clients that fail with an unknown version retry with one of these on server/discover (SEP-2575), so a
    // stateless server advertises only the per-request-metadata revisions, as the SDK's own handler does.
    private static readonly string[] s_advertisedVersions = [.. McpProtocol.PerRequestMetadataVersions];

#pragma warning disable MCP9005 // logging/setLevel is deprecated; named here only to refuse it on 2026-07-28.
    private static readonly HashSet<string> s_removedIn2026 = new(StringComparer.Ordinal)
    {
        RequestMethods.Initialize, RequestMethods.Ping, RequestMethods.LoggingSetLevel,
        RequestMethods.ResourcesSubscribe, RequestMethods.ResourcesUnsubscribe,
    };
#pragma warning restore MCP9005

    private readonly ILogger _logger = loggerFactory.CreateLogger<StreamableHttpEndpoint>();

    public async Task HandlePostAsync(HttpContext context)
    {
        if (originPolicy.Check(context.Request) is { } originProblem)
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, (int)McpErrorCode.InvalidRequest, originProblem);
            return;
        }

        var accept = context.Request.GetTypedHeaders().Accept;
        if (!accept.Any(a => a.MatchesMediaType("application/json")) || !accept.Any(a => a.MatchesMediaType("text/event-stream")))
        {
            await RefuseAsync(context, StatusCodes.Status406NotAcceptable, (int)McpErrorCode.InvalidRequest,
                "Not Acceptable: send 'Accept: application/json, text/event-stream'; this endpoint answers with either.");
            return;
        }

        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var contentType) || !contentType.MatchesMediaType("application/json"))
        {
            await RefuseAsync(context, StatusCodes.Status415UnsupportedMediaType, (int)McpErrorCode.InvalidRequest,
                "Unsupported Media Type: send one JSON-RPC message with 'Content-Type: application/json'.");
            return;
        }

        var limit = endpointOptions.CurrentValue.MaxRequestBodyBytes;
        var body = await ReadBodyAsync(context, limit);
        if (body is null)
        {
            await RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, (int)McpErrorCode.InvalidRequest,
                $"Payload Too Large: a JSON-RPC message may hold at most {limit} bytes. Send smaller arguments.");
            return;
        }

        JsonRpcMessage? message;
        try
        {
            if (FirstSignificantByte(body) == (byte)'[')
            {
                await RefuseAsync(context, StatusCodes.Status400BadRequest, (int)McpErrorCode.InvalidRequest,
                    "Bad Request: JSON-RPC batches are not supported (removed in MCP 2025-06-18). Send one message per POST.");
                return;
            }
            message = JsonSerializer.Deserialize(body, s_messageType);
        }
        catch (JsonException)
        {
            var (code, text) = IsWellFormedJson(body)
                ? ((int)McpErrorCode.InvalidRequest, "Invalid Request: the body is JSON but not a JSON-RPC 2.0 message. Send {\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"…\",\"params\":{…}}; ids may not be null.")
                : ((int)McpErrorCode.ParseError, "Parse error: the body is not well-formed JSON. Send one JSON-RPC 2.0 message encoded as UTF-8 JSON.");
            await RefuseAsync(context, StatusCodes.Status400BadRequest, code, text);
            return;
        }
        if (message is null)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, (int)McpErrorCode.InvalidRequest,
                "Invalid Request: the body is empty or null. Send one JSON-RPC 2.0 message.");
            return;
        }

        var requestId = message is JsonRpcRequest request ? request.Id : default;
        if (Validate(context, message) is { } problem)
        {
            await WriteErrorAsync(context, problem.Status, problem.Detail, requestId);
            return;
        }

        if (message is JsonRpcRequest { Method: RequestMethods.ToolsCall or RequestMethods.ResourcesRead } guarded)
        {
            foreach (var authorizer in authorizers)
            {
                if (await authorizer.AuthorizeAsync(context, guarded) is { } refusal)
                {
                    McpEndpointLog.NotAuthorized(_logger, guarded.Method, authorizer.GetType().Name);
                    await refusal.ExecuteAsync(context);
                    return;
                }
            }
        }

        await ServeAsync(context, message);
    }

    /// <summary>GET (the 2025 stand-alone SSE stream) and DELETE (session end) need sessions, which this server has none of.</summary>
    public async Task HandleOtherMethodAsync(HttpContext context)
    {
        context.Response.Headers.Allow = HttpMethods.Post;
        await RefuseAsync(context, StatusCodes.Status405MethodNotAllowed, (int)McpErrorCode.InvalidRequest,
            $"Method Not Allowed: this stateless server has no sessions, so {context.Request.Method} is not served. Send each JSON-RPC message with POST.");
    }

    private async Task ServeAsync(HttpContext context, JsonRpcMessage message)
    {
        var protocolVersion = context.Request.Headers[McpProtocol.ProtocolVersionHeader].ToString();
        message.Context ??= new JsonRpcMessageContext();
        message.Context.User = context.User;
        if (protocolVersion.Length > 0)
        {
            message.Context.ProtocolVersion = protocolVersion;
        }

        var transport = new StreamableHttpServerTransport(loggerFactory) { Stateless = true };
        var options = serverOptionsFactory.Create(Options.DefaultName);
        // The server lives for this one request: request-scoped services are the right scope for tools.
        options.ScopeRequests = false;
        var server = McpServer.Create(transport, options, loggerFactory, context.RequestServices);
        using var stop = new CancellationTokenSource();
        var running = server.RunAsync(stop.Token);
        try
        {
            context.Response.Headers.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache,no-store";
            context.Response.Headers.ContentEncoding = "identity";
            context.Response.Headers["X-Accel-Buffering"] = "no";
            context.Features.GetRequiredFeature<IHttpResponseBodyFeature>().DisableBuffering();

            // 2026-07-28 maps some JSON-RPC errors onto HTTP statuses; the transport holds the status line until the
            // first message so it can still be chosen here.
            Func<JsonRpcMessage?, ValueTask>? onResponseStarting = McpProtocol.RequiresPerRequestMetadata(protocolVersion)
                ? first =>
                {
                    if (first is JsonRpcError { Error: { } error } && !context.Response.HasStarted)
                    {
                        context.Response.StatusCode = (McpErrorCode)error.Code switch
                        {
                            McpErrorCode.MethodNotFound => StatusCodes.Status404NotFound,
                            McpErrorCode.MissingRequiredClientCapability or McpErrorCode.UnsupportedProtocolVersion
                                or McpErrorCode.HeaderMismatch => StatusCodes.Status400BadRequest,
                            _ => context.Response.StatusCode,
                        };
                    }
                    return default;
                }
                : null;

            var wrote = await transport.HandlePostRequestAsync(message, context.Response.Body, onResponseStarting, context.RequestAborted);
            if (!wrote)
            {
                context.Response.Headers.ContentType = (string?)null;
                context.Response.StatusCode = StatusCodes.Status202Accepted;
            }
        }
        finally
        {
            await transport.DisposeAsync();
            await stop.CancelAsync();
            try
            {
                await running;
            }
            catch (OperationCanceledException)
            {
                // The server loop ends by cancellation once the one message is answered.
            }
            await server.DisposeAsync();
        }
    }

    private sealed record Problem(int Status, JsonRpcErrorDetail Detail);

    private Problem? Validate(HttpContext context, JsonRpcMessage message)
    {
        var headers = context.Request.Headers;
        var version = headers[McpProtocol.ProtocolVersionHeader].ToString();
        if (version.Length > 0 && !McpProtocol.SupportedVersions.Contains(version, StringComparer.Ordinal))
        {
            return new(StatusCodes.Status400BadRequest, new JsonRpcErrorDetail
            {
                Code = (int)McpErrorCode.UnsupportedProtocolVersion,
                Message = $"Unsupported protocol version '{version}' in MCP-Protocol-Version. Use one of: {string.Join(", ", s_advertisedVersions)} (or initialize with {McpProtocol.November2025} or {McpProtocol.June2025}).",
                Data = JsonSerializer.SerializeToNode(new UnsupportedProtocolVersionErrorData { Supported = s_advertisedVersions, Requested = version }, s_versionDataType),
            });
        }

        if (message is not (JsonRpcRequest or JsonRpcNotification))
        {
            return new(StatusCodes.Status400BadRequest, Error(McpErrorCode.InvalidRequest,
                "Invalid Request: this stateless server sends no requests, so it accepts no JSON-RPC responses. Send requests or notifications."));
        }

        var (method, parameters) = message switch
        {
            JsonRpcRequest r => (r.Method, r.Params),
            JsonRpcNotification n => (n.Method, n.Params),
            _ => (string.Empty, null),
        };

        if (method == RequestMethods.Initialize && parameters?["protocolVersion"] is JsonValue initVersion
            && initVersion.TryGetValue(out string? requested) && version.Length > 0 && !string.Equals(version, requested, StringComparison.Ordinal))
        {
            return new(StatusCodes.Status400BadRequest, Error(McpErrorCode.HeaderMismatch,
                $"Header mismatch: MCP-Protocol-Version '{version}' differs from params.protocolVersion '{requested}'. Send the same version in both."));
        }

        var metaVersion = parameters?["_meta"]?[MetaKeys.ProtocolVersion] is JsonValue v && v.TryGetValue(out string? s) && s.Length > 0 ? s : null;
        var modern = McpProtocol.RequiresPerRequestMetadata(version);
        if (!modern && !McpProtocol.RequiresPerRequestMetadata(metaVersion))
        {
            return null;
        }

        if (version.Length == 0)
        {
            return new(StatusCodes.Status400BadRequest, Error(McpErrorCode.HeaderMismatch,
                $"Header mismatch: _meta declares protocol version '{metaVersion}' but the MCP-Protocol-Version header is missing. Send the header with the same value."));
        }
        if (metaVersion is null)
        {
            // Notifications are fire-and-forget: an error has no one to reach, and dropping notifications/cancelled would leave work running.
            return message is JsonRpcRequest
                ? new(StatusCodes.Status400BadRequest, Error(McpErrorCode.InvalidParams,
                    $"Invalid params: requests on protocol version '{version}' must carry params._meta[\"{MetaKeys.ProtocolVersion}\"] = \"{version}\"."))
                : null;
        }
        if (!string.Equals(version, metaVersion, StringComparison.Ordinal))
        {
            return new(StatusCodes.Status400BadRequest, Error(McpErrorCode.HeaderMismatch,
                $"Header mismatch: MCP-Protocol-Version '{version}' differs from params._meta[\"{MetaKeys.ProtocolVersion}\"] '{metaVersion}'. Send the same version in both."));
        }

        if (HeaderProblem(context, method, parameters) is { } headerProblem)
        {
            return new(StatusCodes.Status400BadRequest, Error(McpErrorCode.HeaderMismatch, headerProblem));
        }

        if (message is JsonRpcRequest && parameters?["_meta"]?[MetaKeys.ClientCapabilities] is not JsonObject)
        {
            return new(StatusCodes.Status400BadRequest, Error(McpErrorCode.InvalidParams,
                $"Invalid params: requests on protocol version '{version}' must carry params._meta[\"{MetaKeys.ClientCapabilities}\"] as an object ({{}} when the client offers none)."));
        }

        if (message is JsonRpcRequest && s_removedIn2026.Contains(method))
        {
            return new(StatusCodes.Status404NotFound, Error(McpErrorCode.MethodNotFound,
                $"Method not found: '{method}' was removed in protocol version {version}. Use server/discover instead of initialize and ping; logging and subscriptions are per request."));
        }
        return null;
    }

    // SEP-2243: intermediaries route on Mcp-Method/Mcp-Name without parsing bodies, so both must agree with the body.
    private string? HeaderProblem(HttpContext context, string method, JsonNode? parameters)
    {
        var headers = context.Request.Headers;
        if (!headers.TryGetValue(McpProtocol.MethodHeader, out var methodHeader))
        {
            return $"Missing Mcp-Method header: send 'Mcp-Method: {method}'.";
        }
        if (!string.Equals(methodHeader.ToString().Trim(), method, StringComparison.Ordinal))
        {
            return $"Header mismatch: Mcp-Method '{methodHeader}' differs from the body's method '{method}'. Send the same method in both.";
        }

        var nameParameter = method switch
        {
            RequestMethods.ToolsCall or RequestMethods.PromptsGet => "name",
            RequestMethods.ResourcesRead => "uri",
            _ => serverOptions.Value.RequestHandlers?.FirstOrDefault(h => string.Equals(h.Method, method, StringComparison.Ordinal))?.RoutingNameParameter,
        };
        if (nameParameter is null)
        {
            return null;
        }
        if (!headers.TryGetValue(McpProtocol.NameHeader, out var nameHeader))
        {
            return $"Missing Mcp-Name header: {method} requests must send the params.{nameParameter} value in 'Mcp-Name'.";
        }
        var raw = nameHeader.ToString().Trim();
        var decoded = raw.Any(c => c is < ' ' or > '~') ? null : McpHeaderEncoder.DecodeValue(raw);
        if (decoded is null)
        {
            return "Header mismatch: Mcp-Name holds characters a header may not carry or bad base64. Encode non-ASCII values as =?base64?…?=.";
        }
        var bodyName = parameters?[nameParameter] is JsonValue value && value.TryGetValue(out string? name) ? name : null;
        return string.Equals(decoded, bodyName, StringComparison.Ordinal)
            ? null
            : $"Header mismatch: Mcp-Name '{raw}' differs from the body's params.{nameParameter} '{bodyName}'. Send the same value in both.";
    }

    private static JsonRpcErrorDetail Error(McpErrorCode code, string message) => new() { Code = (int)code, Message = message };

    private Task RefuseAsync(HttpContext context, int status, int code, string message) =>
        WriteErrorAsync(context, status, new JsonRpcErrorDetail { Code = code, Message = message }, default);

    private Task WriteErrorAsync(HttpContext context, int status, JsonRpcErrorDetail detail, RequestId id)
    {
        McpEndpointLog.Refused(_logger, status, detail.Code, detail.Message);
        return Results.Json(new JsonRpcError { Id = id, Error = detail }, s_errorType, statusCode: status).ExecuteAsync(context);
    }

    /// <returns>The body, or null when it exceeds <paramref name="limit"/> bytes.</returns>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext context, long limit)
    {
        if (context.Request.ContentLength > limit)
        {
            return null;
        }
        // Our own limit replaces Kestrel's, whose overflow is an exception that cannot carry a JSON-RPC body.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = null;
        }

        var writer = new ArrayBufferWriter<byte>((int)Math.Min(context.Request.ContentLength ?? 4096, limit) + 1);
        var body = context.Request.Body;
        while (true)
        {
            var read = await body.ReadAsync(writer.GetMemory(4096), context.RequestAborted);
            if (read == 0)
            {
                return writer.WrittenSpan.ToArray();
            }
            writer.Advance(read);
            if (writer.WrittenCount > limit)
            {
                return null;
            }
        }
    }

    private static byte FirstSignificantByte(ReadOnlySpan<byte> body)
    {
        var trimmed = body.TrimStart(" \t\r\n"u8);
        if (trimmed.StartsWith("\uFEFF"u8))
        {
            trimmed = trimmed[3..].TrimStart(" \t\r\n"u8);
        }
        return trimmed.IsEmpty ? (byte)0 : trimmed[0];
    }

    private static bool IsWellFormedJson(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
