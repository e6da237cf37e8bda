using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Features;

namespace Workplace.Connectors.Api;

/// <summary>
/// A request body read as JSON under a size bound: <see cref="Value"/>, or why there is none — <see cref="Malformed"/>
/// (the parser's reason) or <see cref="TooLarge"/>. Each endpoint words its own answer.
/// </summary>
public readonly record struct JsonBodyRead<T>(T? Value, string? Malformed, bool TooLarge)
    where T : class;

public static class JsonBody
{
    /// <summary>
    /// Reads the body of <paramref name="context"/> as <paramref name="type"/>, refusing more than
    /// <paramref name="maxBytes"/> bytes as they arrive (Kestrel's own limit for this request), so an oversized body is
    /// never held whole.
    /// </summary>
    public static async Task<JsonBodyRead<T>> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> type, long maxBytes, CancellationToken cancellationToken)
        where T : class
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }
        try
        {
            return new(await JsonSerializer.DeserializeAsync(context.Request.Body, type, cancellationToken), null, false);
        }
        catch (JsonException e)
        {
            return new(null, e.Message, false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new(null, null, true);
        }
    }
}
