using System.Text.Json.Serialization;

namespace Workplace.Emulators.Google.Drive;

/// <summary>One entry of a Google API error's <c>errors</c> list.</summary>
public sealed record DriveErrorItem(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("domain")] string Domain,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("location"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Location = null,
    [property: JsonPropertyName("locationType"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? LocationType = null);

public sealed record DriveErrorBody(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("errors")] IReadOnlyList<DriveErrorItem> Errors,
    [property: JsonPropertyName("status"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Status = null);

public sealed record DriveError([property: JsonPropertyName("error")] DriveErrorBody Error);

/// <summary>The errors Drive v3 answers, each in Google's <c>{"error":{"code","message","errors":[…]}}</c> shape.</summary>
public static class DriveErrors
{
    public static IResult Of(int status, string message, string domain, string reason, string? location = null, string? locationType = null, string? statusName = null, string? itemMessage = null) =>
        TypedResults.Json(new DriveError(new DriveErrorBody(status, message, [new DriveErrorItem(itemMessage ?? message, domain, reason, location, locationType)], statusName)), statusCode: status);

    public static IResult InvalidParameter(string parameter, string message = "Invalid Value") =>
        Of(StatusCodes.Status400BadRequest, message, "global", "invalid", parameter, "parameter");

    public static IResult Required(string parameter) =>
        Of(StatusCodes.Status400BadRequest, $"Required parameter: {parameter}", "global", "required", parameter, "parameter");

    public static IResult FileNotFound(string id) =>
        Of(StatusCodes.Status404NotFound, $"File not found: {id}.", "global", "notFound", "fileId", "parameter");

    public static IResult DriveNotFound(string id) =>
        Of(StatusCodes.Status404NotFound, $"Shared drive not found: {id}", "global", "notFound", "driveId", "parameter");

    public static IResult InsufficientScopes() =>
        Of(StatusCodes.Status403Forbidden, "Request had insufficient authentication scopes.", "global", "insufficientPermissions", statusName: "PERMISSION_DENIED", itemMessage: "Insufficient Permission");

    public static IResult LoginRequired(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"https://accounts.google.com/\"";
        return Of(StatusCodes.Status401Unauthorized,
            "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
            "global", "required", "Authorization", "header", "UNAUTHENTICATED", "Login Required.");
    }

    public static IResult InvalidCredentials(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"";
        return Of(StatusCodes.Status401Unauthorized,
            "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
            "global", "authError", "Authorization", "header", "UNAUTHENTICATED", "Invalid Credentials");
    }
}
