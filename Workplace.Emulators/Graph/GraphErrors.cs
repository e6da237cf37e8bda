using System.Globalization;
using System.Text.Json;

namespace Workplace.Emulators.Graph;

/// <summary>The JSON of each side: Graph's camelCase resources, the identity platform's snake_case token responses.</summary>
public static class GraphJson
{
    // Graph and the identity platform write UTF-8 as it is (ü, <c0>, '), not \u escapes.
    public static JsonSerializerOptions Api { get; } = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static JsonSerializerOptions Identity { get; } = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}

/// <summary>Graph's error body: <c>{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}</c>.</summary>
public sealed record GraphError(GraphErrorDetail Error);

public sealed record GraphErrorDetail(string Code, string Message, GraphInnerError InnerError);

public sealed record GraphInnerError(
    string Date,
    [property: System.Text.Json.Serialization.JsonPropertyName("request-id")] string RequestId,
    [property: System.Text.Json.Serialization.JsonPropertyName("client-request-id")] string ClientRequestId);

public static class GraphErrors
{
    public static IResult Problem(HttpContext http, int status, string code, string message, int? retryAfterSeconds = null)
    {
        if (retryAfterSeconds is { } seconds)
        {
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }
        var requestId = http.Response.Headers["request-id"].ToString();
        var inner = new GraphInnerError(
            http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
            requestId,
            http.Response.Headers["client-request-id"].ToString());
        return Results.Json(new GraphError(new GraphErrorDetail(code, message, inner)), GraphJson.Api, statusCode: status);
    }

    public static IResult BadRequest(HttpContext http, string message) => Problem(http, StatusCodes.Status400BadRequest, "BadRequest", message);

    public static IResult ItemNotFound(HttpContext http) =>
        Problem(http, StatusCodes.Status404NotFound, "itemNotFound", "The resource could not be found.");
}
