using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Workplace.Emulators.Faults;
using Workplace.Emulators.Google.Workspace;
using Workplace.Emulators.Workspace;

namespace Workplace.Emulators.Google.OAuth;

/// <summary>Google's token response (https://oauth2.googleapis.com/token).</summary>
public sealed record GoogleTokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("scope")] string Scope,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("refresh_token"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RefreshToken);

/// <summary>Google's OAuth error body: <c>{"error","error_description"}</c>.</summary>
public sealed record GoogleOAuthError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string Description);

/// <summary>
/// The admin shortcut's request: a grant for <paramref name="User"/> without the browser round trip; its first access
/// token lives <paramref name="ExpiresIn"/> seconds (default Google's 3599), so a test can watch one expire.
/// </summary>
public sealed record GoogleGrantRequest(string User, string? Scope = null, int? ExpiresIn = null);

/// <summary>What <c>POST /admin/google/expire</c> did: how many live access tokens it expired.</summary>
public sealed record GoogleExpiry(int Expired);

/// <summary>The admin stats: how often the token endpoint was called, in all and to refresh, and how often Drive's content was read (export, download).</summary>
public sealed record GoogleStats(long TokenCalls, long RefreshCalls, long ContentReads);

public static class GoogleOAuthEndpoints
{
    public const string DriveReadonlyScope = "https://www.googleapis.com/auth/drive.readonly";

    /// <summary>
    /// The authorization endpoint, the token endpoint (form posts: code with PKCE, refresh; Google keeps the refresh
    /// token, it does not rotate it) and revoke, as accounts.google.com and oauth2.googleapis.com answer them.
    /// </summary>
    public static void MapGoogleOAuth(this IEndpointRouteBuilder google)
    {
        google.MapGet("/o/oauth2/v2/auth", Authorize);
        google.MapPost("/token", Token).DisableAntiforgery();
        // Google's client libraries revoke with a GET (?token=); browsers and others POST a form.
        google.MapMethods("/revoke", [HttpMethods.Get, HttpMethods.Post], Revoke).DisableAntiforgery();
    }

    /// <summary>
    /// <c>POST /admin/google/grants {"user":"aditi"}</c> → Google's token response for that user (offline, drive.readonly
    /// unless <c>scope</c> says otherwise); <c>GET /admin/google/stats</c> → <see cref="GoogleStats"/>;
    /// <c>POST /admin/google/expire {"user":"aditi"}</c> → <see cref="GoogleExpiry"/>; <c>POST /admin/google/documents/{id}</c>
    /// with a <see cref="DocumentEdit"/> → <see cref="DocumentEdited"/>.
    /// </summary>
    public static void MapGoogleOAuthAdmin(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/admin/google");
        admin.MapPost("/grants", Results<Ok<GoogleTokenResponse>, ProblemHttpResult> (GoogleGrantRequest request, GoogleGrants grants, IOptions<GoogleEmulatorOptions> options) =>
        {
            if (EmulatedUsers.Find(request.User) is null)
            {
                return TypedResults.Problem($"Unknown user '{request.User}'. Use one of: {string.Join(", ", EmulatedUsers.All.Select(u => u.Id))}.", statusCode: StatusCodes.Status400BadRequest);
            }
            if (request.ExpiresIn is < 1 or > 3599)
            {
                return TypedResults.Problem("expiresIn is a number of seconds from 1 to 3599.", statusCode: StatusCodes.Status400BadRequest);
            }
            var scope = request.Scope ?? DriveReadonlyScope;
            var lifetime = request.ExpiresIn is { } seconds ? TimeSpan.FromSeconds(seconds) : GoogleGrants.AccessTokenLifetime;
            var (access, refresh) = grants.Grant(request.User, options.Value.ClientId, scope, offline: true, lifetime);
            return TypedResults.Ok(new GoogleTokenResponse(access, (int)lifetime.TotalSeconds, scope, "Bearer", refresh));
        });
        admin.MapGet("/stats", (GoogleGrants grants, ContentReads reads) => TypedResults.Ok(new GoogleStats(grants.TokenCalls, grants.RefreshCalls, reads.Of(GoogleEmulator.Provider))));
        admin.MapPost("/documents/{fileId}", Results<Ok<DocumentEdited>, ProblemHttpResult> (string fileId, DocumentEdit edit, DriveDocuments documents) =>
            edit.Text is not { } text ? TypedResults.Problem("text is required: the document's new content.", statusCode: StatusCodes.Status400BadRequest)
            : documents.Edit(fileId, text) is { } edited ? TypedResults.Ok(new DocumentEdited(edited.Id, edited.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            : TypedResults.Problem($"No file '{fileId}' with content in the sample Drive.", statusCode: StatusCodes.Status404NotFound));
        // The hour of every access token the user holds passes at once: the next call with one gets Drive's 401.
        admin.MapPost("/expire", Results<Ok<GoogleExpiry>, ProblemHttpResult> (GoogleGrantRequest request, GoogleGrants grants) =>
            EmulatedUsers.Find(request.User) is null
                ? TypedResults.Problem($"Unknown user '{request.User}'. Use one of: {string.Join(", ", EmulatedUsers.All.Select(u => u.Id))}.", statusCode: StatusCodes.Status400BadRequest)
                : TypedResults.Ok(new GoogleExpiry(grants.ExpireAccessTokens(request.User))));
    }

    private static IResult Authorize(HttpRequest request, GoogleGrants grants, IOptions<GoogleEmulatorOptions> options)
    {
        var query = request.Query;
        string? Param(string name) => query[name].FirstOrDefault() is { Length: > 0 } value ? value : null;

        // Google shows its own error page, without redirecting, while it cannot trust the client or the redirect URI.
        if (Param("client_id") is not { } clientId)
        {
            return ErrorPage("invalid_request", "Missing required parameter: client_id");
        }
        if (!string.Equals(clientId, options.Value.ClientId, StringComparison.Ordinal))
        {
            return ErrorPage("invalid_client", "The OAuth client was not found.", StatusCodes.Status401Unauthorized);
        }
        if (Param("redirect_uri") is not { } redirectUri || !Uri.TryCreate(redirectUri, UriKind.Absolute, out _))
        {
            return ErrorPage("invalid_request", "Missing required parameter: redirect_uri");
        }
        if (Param("response_type") is not { } responseType)
        {
            return ErrorPage("invalid_request", "Missing required parameter: response_type");
        }
        if (Param("scope") is not { } scope)
        {
            return ErrorPage("invalid_request", "Missing required parameter: scope");
        }
        var state = Param("state");
        if (!string.Equals(responseType, "code", StringComparison.Ordinal))
        {
            return RedirectWithError(redirectUri, "unsupported_response_type", state);
        }
        var challenge = Param("code_challenge");
        var method = Param("code_challenge_method") ?? "plain";
        if (challenge is not null && method is not ("S256" or "plain"))
        {
            return RedirectWithError(redirectUri, "invalid_request", state);
        }
        // No login page: the emulator signs in the user the client hints at (an id such as "aditi", or the email).
        var user = Param("login_hint") is { } hint
            ? EmulatedUsers.All.FirstOrDefault(u => string.Equals(u.Id, hint, StringComparison.OrdinalIgnoreCase) || string.Equals(u.Email, hint, StringComparison.OrdinalIgnoreCase))
            : null;
        if (user is null)
        {
            return ErrorPage("invalid_request", $"The emulator signs in the user named by login_hint: one of {string.Join(", ", EmulatedUsers.All.Select(u => u.Id))}.");
        }
        var offline = string.Equals(Param("access_type"), "offline", StringComparison.Ordinal);
        var code = grants.IssueCode(user.Id, clientId, redirectUri, scope, challenge, method, offline);
        var parameters = new Dictionary<string, string?> { ["code"] = code, ["scope"] = scope, ["authuser"] = "0", ["prompt"] = "consent" };
        if (state is not null)
        {
            parameters["state"] = state;
        }
        return Results.Redirect(QueryHelpers.AddQueryString(redirectUri, parameters));
    }

    private static async Task<IResult> Token(HttpRequest request, GoogleGrants grants, FaultRegistry faults, IOptions<GoogleEmulatorOptions> options)
    {
        if (!request.HasFormContentType)
        {
            grants.CountTokenCall(refresh: false);
            return OAuthError("invalid_request", "Invalid request: the token endpoint takes application/x-www-form-urlencoded.");
        }
        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        string? Field(string name) => form[name].FirstOrDefault() is { Length: > 0 } value ? value : null;
        var grantType = Field("grant_type");
        grants.CountTokenCall(refresh: string.Equals(grantType, "refresh_token", StringComparison.Ordinal));

        if (!string.Equals(Field("client_id"), options.Value.ClientId, StringComparison.Ordinal)
            || !string.Equals(Field("client_secret"), options.Value.ClientSecret, StringComparison.Ordinal))
        {
            return OAuthError("invalid_client", "The OAuth client was not found.", StatusCodes.Status401Unauthorized);
        }
        return grantType switch
        {
            "authorization_code" => ExchangeCode(Field("code"), Field("redirect_uri"), Field("code_verifier"), options.Value.ClientId, grants),
            "refresh_token" => Refresh(Field("refresh_token"), options.Value.ClientId, grants, faults),
            null => OAuthError("unsupported_grant_type", "Invalid grant_type: "),
            _ => OAuthError("unsupported_grant_type", $"Invalid grant_type: {grantType}"),
        };
    }

    private static IResult ExchangeCode(string? code, string? redirectUri, string? verifier, string clientId, GoogleGrants grants)
    {
        if (code is null)
        {
            return OAuthError("invalid_request", "Missing required parameter: code");
        }
        if (grants.RedeemCode(code) is not { } issued || !string.Equals(issued.ClientId, clientId, StringComparison.Ordinal))
        {
            return OAuthError("invalid_grant", "Bad Request");
        }
        if (!string.Equals(issued.RedirectUri, redirectUri, StringComparison.Ordinal))
        {
            return OAuthError("redirect_uri_mismatch", "Bad Request");
        }
        if (issued.Challenge is { } challenge)
        {
            if (verifier is null)
            {
                return OAuthError("invalid_grant", "Missing code verifier.");
            }
            var expected = issued.ChallengeMethod == "S256" ? GoogleGrants.S256(verifier) : verifier;
            if (!string.Equals(expected, challenge, StringComparison.Ordinal))
            {
                return OAuthError("invalid_grant", "Invalid code verifier.");
            }
        }
        var (access, refresh) = grants.Grant(issued.User, issued.ClientId, issued.Scope, issued.Offline);
        return TypedResults.Ok(new GoogleTokenResponse(access, (int)GoogleGrants.AccessTokenLifetime.TotalSeconds, issued.Scope, "Bearer", refresh));
    }

    private static IResult Refresh(string? refreshToken, string clientId, GoogleGrants grants, FaultRegistry faults)
    {
        if (refreshToken is null)
        {
            return OAuthError("invalid_request", "Missing required parameter: refresh_token");
        }
        if (grants.FindRefreshToken(refreshToken) is not { } grant
            || !string.Equals(grant.ClientId, clientId, StringComparison.Ordinal)
            || faults.Has(GoogleEmulator.Provider, FaultKind.RevokedGrant, grant.User))
        {
            return OAuthError("invalid_grant", "Token has been expired or revoked.");
        }
        return TypedResults.Ok(new GoogleTokenResponse(grants.IssueAccessToken(grant), (int)GoogleGrants.AccessTokenLifetime.TotalSeconds, grant.Scope, "Bearer", RefreshToken: null));
    }

    private static async Task<IResult> Revoke(HttpRequest request, GoogleGrants grants)
    {
        var token = request.Query["token"].FirstOrDefault();
        if (token is null && request.HasFormContentType)
        {
            token = (await request.ReadFormAsync(request.HttpContext.RequestAborted))["token"].FirstOrDefault();
        }
        return token is not null && grants.Revoke(token)
            ? TypedResults.Ok(new { })
            : OAuthError("invalid_token", "Token expired or revoked");
    }

    private static JsonHttpResult<GoogleOAuthError> OAuthError(string error, string description, int status = StatusCodes.Status400BadRequest) =>
        TypedResults.Json(new GoogleOAuthError(error, description), statusCode: status);

    private static IResult RedirectWithError(string redirectUri, string error, string? state) =>
        Results.Redirect(QueryHelpers.AddQueryString(redirectUri, state is null
            ? new Dictionary<string, string?> { ["error"] = error }
            : new Dictionary<string, string?> { ["error"] = error, ["state"] = state }));

    private static ContentHttpResult ErrorPage(string error, string description, int status = StatusCodes.Status400BadRequest) =>
        TypedResults.Content($"Access blocked: authorization error. Error {status}: {error}. {description}", "text/plain", statusCode: status);
}
