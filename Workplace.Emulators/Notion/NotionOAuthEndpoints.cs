using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Workplace.Emulators.Workspace;

namespace Workplace.Emulators.Notion;

public static class NotionOAuthEndpoints
{
    /// <summary>
    /// <c>GET oauth/authorize</c> (consent is given at once for the user named by <c>login_hint</c>: there is no login
    /// page), <c>POST oauth/token</c> (JSON body, HTTP Basic client authentication), <c>POST oauth/revoke</c>.
    /// </summary>
    public static RouteGroupBuilder MapNotionOAuth(this RouteGroupBuilder v1)
    {
        v1.MapGet("/oauth/authorize", Authorize);
        v1.MapPost("/oauth/token", Token);
        v1.MapPost("/oauth/revoke", Revoke);
        return v1;
    }

    /// <summary>
    /// <c>POST /admin/notion/grants {"user":"aditi"}</c> → the token endpoint's response for a new grant of that user;
    /// <c>GET /admin/notion/stats</c> → <c>{"tokenRequests": n, "contentReads": n}</c> (block children lists);
    /// <c>POST /admin/notion/documents/{pageId}</c> with a <see cref="DocumentEdit"/> → <see cref="DocumentEdited"/>.
    /// </summary>
    public static IEndpointRouteBuilder MapNotionAdmin(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/admin/notion");
        admin.MapPost("/grants", (GrantRequest request, NotionOAuth oauth) =>
            EmulatedUsers.Find(request.User ?? "") is { } user
                ? NotionResults.Json(oauth.Grant(user.Id))
                : Results.BadRequest(new { error = $"Unknown user '{request.User}': use one of {string.Join(", ", EmulatedUsers.All.Select(u => u.Id))}." }));
        admin.MapGet("/stats", (NotionOAuth oauth, ContentReads reads) => Results.Ok(new { tokenRequests = oauth.TokenRequests, contentReads = reads.Of(NotionOAuth.Provider) }));
        admin.MapPost("/documents/{pageId}", (string pageId, DocumentEdit edit, NotionWorkspace workspace, TimeProvider time) =>
        {
            if (edit.Text is not { } text)
            {
                return Results.Problem("text is required: the page's new content, as Markdown.", statusCode: StatusCodes.Status400BadRequest);
            }
            try
            {
                return Guid.TryParse(pageId, out var id) && workspace.Edit(id, text, time.GetUtcNow()) is { } page
                    ? Results.Ok(new DocumentEdited(NotionObjects.Id(page.Id), NotionObjects.Time(page.Edited)))
                    : Results.Problem($"No page '{pageId}' in the sample workspace.", statusCode: StatusCodes.Status404NotFound);
            }
            catch (ArgumentException e)
            {
                return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest);
            }
        });
        return endpoints;
    }

    public sealed record GrantRequest(string? User);

    private static IResult Authorize(HttpRequest request, NotionOAuth oauth)
    {
        var query = request.Query;
        string? Param(string name) => query[name].FirstOrDefault() is { Length: > 0 } value ? value : null;

        if (Param("client_id") != oauth.Options.ClientId)
        {
            return NotionResults.OAuth(StatusCodes.Status400BadRequest, "invalid_client", "client_id is missing or not this integration's.");
        }
        if (Param("redirect_uri") is not { } redirectUri || !Uri.TryCreate(redirectUri, UriKind.Absolute, out var redirect) || redirect.Scheme is not ("http" or "https"))
        {
            return NotionResults.OAuth(StatusCodes.Status400BadRequest, "invalid_request", "redirect_uri is missing or not an absolute http(s) URL.");
        }
        var state = Param("state");
        IResult Refuse(string error, string description) => Results.Redirect(QueryHelpers.AddQueryString(redirectUri, new Dictionary<string, string?>
        {
            ["error"] = error,
            ["error_description"] = description,
            ["state"] = state,
        }));

        if (Param("response_type") != "code")
        {
            return Refuse("unsupported_response_type", "response_type must be code.");
        }
        if (Param("owner") != "user")
        {
            return Refuse("invalid_request", "owner must be user.");
        }
        var challenge = Param("code_challenge");
        if (challenge is not null && Param("code_challenge_method") != "S256")
        {
            return Refuse("invalid_request", "code_challenge_method must be S256.");
        }
        // As the Google and Microsoft emulators: the hint is a user's id or email (the connect flow sends the email).
        var hint = Param("login_hint");
        if (EmulatedUsers.All.FirstOrDefault(u => u.Id == hint || string.Equals(u.Email, hint, StringComparison.OrdinalIgnoreCase)) is not { } user)
        {
            return NotionResults.OAuth(StatusCodes.Status400BadRequest, "invalid_request",
                $"The emulator signs in the user named by login_hint: one of {string.Join(", ", EmulatedUsers.All.Select(u => u.Id))}.");
        }
        var code = oauth.IssueCode(user.Id, oauth.Options.ClientId, redirectUri, challenge);
        return Results.Redirect(QueryHelpers.AddQueryString(redirectUri, new Dictionary<string, string?> { ["code"] = code, ["state"] = state }));
    }

    private static async Task<IResult> Token(HttpRequest request, NotionOAuth oauth)
    {
        oauth.CountTokenRequest();
        if (ClientOf(request, oauth) is not { } clientId)
        {
            return NotionResults.OAuth(StatusCodes.Status401Unauthorized, "invalid_client", "Authenticate with HTTP Basic: base64(client_id:client_secret) of this integration.");
        }
        if (await NotionApiEndpoints.ReadObjectAsync(request) is not { } body)
        {
            return NotionResults.OAuth(StatusCodes.Status400BadRequest, "invalid_request", "The body must be a JSON object.");
        }
        string? Field(string name) => body[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

        var (token, error) = Field("grant_type") switch
        {
            "authorization_code" when Field("code") is { } code => oauth.ExchangeCode(clientId, code, Field("redirect_uri"), Field("code_verifier")),
            "refresh_token" when Field("refresh_token") is { } refresh => oauth.Refresh(refresh),
            "authorization_code" or "refresh_token" => (null, null),
            _ => (null, "unsupported"),
        };
        return token is not null ? NotionResults.Json(token)
            : error is null ? NotionResults.OAuth(StatusCodes.Status400BadRequest, "invalid_request", "code (authorization_code) or refresh_token (refresh_token) is missing.")
            : error == "unsupported" ? NotionResults.OAuth(StatusCodes.Status400BadRequest, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token.")
            : NotionResults.OAuth(StatusCodes.Status400BadRequest, "invalid_grant", error);
    }

    private static async Task<IResult> Revoke(HttpRequest request, NotionOAuth oauth)
    {
        if (ClientOf(request, oauth) is null)
        {
            return NotionResults.OAuth(StatusCodes.Status401Unauthorized, "invalid_client", "Authenticate with HTTP Basic: base64(client_id:client_secret) of this integration.");
        }
        var body = await NotionApiEndpoints.ReadObjectAsync(request);
        return body?["token"] is JsonValue value && value.TryGetValue<string>(out var token) && oauth.Revoke(token)
            ? NotionResults.Json(new JsonObject { ["request_id"] = Guid.NewGuid().ToString("D") })
            : NotionResults.OAuth(StatusCodes.Status400BadRequest, "invalid_request", "token is missing or unknown.");
    }

    private static string? ClientOf(HttpRequest request, NotionOAuth oauth)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || header.Parameter is null)
        {
            return null;
        }
        string credentials;
        try
        {
            credentials = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
        }
        catch (FormatException)
        {
            return null;
        }
        var separator = credentials.IndexOf(':', StringComparison.Ordinal);
        return separator > 0
            && credentials[..separator] == oauth.Options.ClientId
            && credentials[(separator + 1)..] == oauth.Options.ClientSecret
            ? oauth.Options.ClientId
            : null;
    }
}
