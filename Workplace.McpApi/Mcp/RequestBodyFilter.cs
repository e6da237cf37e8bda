using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Workplace.McpApi.Mcp;

/// <summary>
/// Reads the body once, within <see cref="McpEndpointOptions.MaxRequestBodyBytes"/>, for what the SDK's handler
/// answers poorly: an oversized body ends in Kestrel's empty 413, malformed JSON is reported as -32600 Invalid
/// Request where JSON-RPC 2.0 says -32700 Parse error, and a batch gets no word that batches were removed. The SDK
/// then reads the same bytes, and <see cref="RequestAuthorizationFilter"/> finds the message parsed in
/// <see cref="McpRequestBody"/>.
/// </summary>
internal sealed class RequestBodyFilter(IOptionsMonitor<McpEndpointOptions> options, ILogger<RequestBodyFilter> logger) : IEndpointFilter
{
    private static readonly JsonTypeInfo<JsonRpcMessage> s_messageType =
        (JsonTypeInfo<JsonRpcMessage>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage));

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var limit = options.CurrentValue.MaxRequestBodyBytes;
        if (await ReadAsync(http, limit) is not { } body)
        {
            return JsonRpcRefusal.Create(logger, StatusCodes.Status413PayloadTooLarge, McpErrorCode.InvalidRequest,
                $"Payload Too Large: a JSON-RPC message may hold at most {limit} bytes. Send smaller arguments.");
        }

        var message = Message(body);
        if (message is null)
        {
            switch (RootKind(body))
            {
                case null:
                    return JsonRpcRefusal.Create(logger, StatusCodes.Status400BadRequest, McpErrorCode.ParseError,
                        "Parse error: the body is not well-formed JSON. Send one JSON-RPC 2.0 message encoded as UTF-8 JSON.");
                case JsonValueKind.Array:
                    return JsonRpcRefusal.Create(logger, StatusCodes.Status400BadRequest, McpErrorCode.InvalidRequest,
                        "Bad Request: JSON-RPC batches are not supported (removed in MCP 2025-06-18). Send one message per POST.");
            }
        }

        http.Features.Set(new McpRequestBody(message));
        http.Request.Body = new MemoryStream(body, writable: false);
        http.Request.ContentLength = body.Length;
        return await next(context);
    }

    /// <returns>The body, or null when it exceeds <paramref name="limit"/> bytes.</returns>
    private static async Task<byte[]?> ReadAsync(HttpContext context, long limit)
    {
        if (context.Request.ContentLength > limit)
        {
            return null;
        }
        // This limit replaces Kestrel's, whose overflow is an exception that cannot carry a JSON-RPC body.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = null;
        }

        // With a Content-Length the body is read into an array of exactly that size (Kestrel stops at it and fails a
        // shorter body); only a chunked body grows a buffer.
        if (context.Request.ContentLength is { } length)
        {
            var body = new byte[length];
            await context.Request.Body.ReadExactlyAsync(body, context.RequestAborted);
            return body;
        }
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (await context.Request.Body.ReadAsync(buffer.GetMemory(4096), context.RequestAborted) is var read and > 0)
        {
            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
            {
                return null;
            }
        }
        return buffer.WrittenSpan.ToArray();
    }

    // The message, parsed once for every filter; null when the body is no JSON-RPC message. Only then is the body
    // looked at again, to tell malformed JSON and batches (answered here) from other JSON (left to the SDK).
    private static JsonRpcMessage? Message(byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, s_messageType);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonValueKind? RootKind(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>The JSON-RPC message of an MCP POST, parsed once by <see cref="RequestBodyFilter"/>; null when the body is none.</summary>
internal sealed record McpRequestBody(JsonRpcMessage? Message);
