using System.Text.Json.Serialization;

namespace Workplace.McpApi.Auth;

/// <summary>Why a bearer token was refused: a metric tag and a description safe to send back (never the token).</summary>
public sealed record AuthFailure(string Reason, string Description);

/// <summary>The body of every 400/401/403 this server's authentication sends (RFC 6750 names).</summary>
public sealed record BearerErrorBody(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string ErrorDescription,
    [property: JsonPropertyName("resource_metadata")] string ResourceMetadata,
    [property: JsonPropertyName("scope")] string? Scope = null,
    [property: JsonPropertyName("missing_scopes")] IReadOnlyList<string>? MissingScopes = null);

/// <summary>
/// The RFC 6750 / RFC 9728 challenges the MCP authorization spec asks of a resource server: 401 with
/// <c>resource_metadata</c> and <c>scope</c>, 403 <c>insufficient_scope</c> naming every scope needed, 400 <c>invalid_request</c>.
/// </summary>
public sealed class BearerChallenge(AuthSettings settings)
{
    private static readonly string s_readScopes = string.Join(' ', AuthSettings.ReadScopes);

    /// <summary>401: no token (<paramref name="reason"/> null) or a refused one.</summary>
    public IResult Unauthorized(AuthFailure? reason)
    {
        var header = reason is null
            ? $"Bearer resource_metadata=\"{settings.ResourceMetadataUrl}\", scope=\"{s_readScopes}\""
            : $"Bearer error=\"invalid_token\", error_description=\"{Quoted(reason.Description)}\", resource_metadata=\"{settings.ResourceMetadataUrl}\", scope=\"{s_readScopes}\"";
        var body = reason is null
            ? new BearerErrorBody("unauthorized", $"This server needs an OAuth access token in the Authorization header (Authorization: Bearer <token>). Its authorization server and scopes are listed at {settings.ResourceMetadataUrl}.", settings.ResourceMetadataUrl, s_readScopes)
            : new BearerErrorBody("invalid_token", reason.Description, settings.ResourceMetadataUrl, s_readScopes);
        return new ChallengeResult(StatusCodes.Status401Unauthorized, header, body);
    }

    /// <summary>403: <paramref name="needed"/> is every scope the request needs, those held included, so one consent covers it.</summary>
    public IResult InsufficientScope(IReadOnlyList<string> needed, IReadOnlyList<string> missing)
    {
        var scope = string.Join(' ', needed);
        var description = $"The token lacks {string.Join(", ", missing)}. Authorize again requesting these scopes: {scope}.";
        var header = $"Bearer error=\"insufficient_scope\", scope=\"{scope}\", resource_metadata=\"{settings.ResourceMetadataUrl}\", error_description=\"{Quoted(description)}\"";
        return new ChallengeResult(StatusCodes.Status403Forbidden, header, new BearerErrorBody("insufficient_scope", description, settings.ResourceMetadataUrl, scope, missing));
    }

    /// <summary>400 (RFC 6750 §3.1 invalid_request): the request carries its token in a way this server refuses.</summary>
    public IResult InvalidRequest(string description)
    {
        var header = $"Bearer error=\"invalid_request\", error_description=\"{Quoted(description)}\", resource_metadata=\"{settings.ResourceMetadataUrl}\"";
        return new ChallengeResult(StatusCodes.Status400BadRequest, header, new BearerErrorBody("invalid_request", description, settings.ResourceMetadataUrl));
    }

    // RFC 6750 §3: error_description is printable ASCII without '"' and '\'.
    private static string Quoted(string text) =>
        string.Concat(text.Select(c => c is >= ' ' and <= '~' && c != '"' && c != '\\' ? c : '\''));

    private sealed class ChallengeResult(int status, string header, BearerErrorBody body) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => status;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.Headers.WWWAuthenticate = header;
            httpContext.Response.Headers.CacheControl = "no-store";
            return httpContext.Response.WriteAsJsonAsync(body, httpContext.RequestAborted);
        }
    }
}
