using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workplace.Emulators.Notion;

/// <summary>Notion's answers: JSON in UTF-8 as the API writes it, errors as <c>{"object":"error","status","code","message","request_id"}</c>.</summary>
public static class NotionResults
{
    private static readonly JsonSerializerOptions Wire = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IResult Json(JsonNode body, int status = StatusCodes.Status200OK) =>
        Results.Content(body.ToJsonString(Wire), "application/json; charset=utf-8", statusCode: status);

    public static IResult Error(int status, string code, string message) => Json(new JsonObject
    {
        ["object"] = "error",
        ["status"] = status,
        ["code"] = code,
        ["message"] = message,
        ["request_id"] = Guid.NewGuid().ToString("D"),
    }, status);

    public static IResult Unauthorized() => Error(StatusCodes.Status401Unauthorized, "unauthorized", "API token is invalid.");

    public static IResult Validation(string message) => Error(StatusCodes.Status400BadRequest, "validation_error", message);

    public static IResult NotFound(string kind, string id) => Error(
        StatusCodes.Status404NotFound,
        "object_not_found",
        $"Could not find {kind} with ID: {id}. Make sure the relevant pages and databases are shared with your integration.");

    public static IResult InvalidJson() => Error(StatusCodes.Status400BadRequest, "invalid_json", "Error parsing JSON body.");

    /// <summary>The OAuth endpoints answer as RFC 6749 §5.2 says: <c>{"error","error_description"}</c>.</summary>
    public static IResult OAuth(int status, string error, string description) =>
        Json(new JsonObject { ["error"] = error, ["error_description"] = description, ["request_id"] = Guid.NewGuid().ToString("D") }, status);
}
