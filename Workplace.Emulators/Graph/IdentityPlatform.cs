using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Workplace.Emulators.Faults;
using Workplace.Emulators.Workspace;

namespace Workplace.Emulators.Graph;

/// <summary>
/// The Microsoft identity platform's v2.0 endpoints under <c>/graph/{tenant}/oauth2/v2.0</c>: authorization code with
/// PKCE, refresh, errors as <c>{"error","error_description":"AADSTSnnnn: …","error_codes":[n],…}</c>. There is no
/// sign-in page: <c>login_hint</c> (an emulated user's id or email) names who signs in.
/// </summary>
public static class IdentityPlatform
{
    private const string GraphResource = "https://graph.microsoft.com/";

    private static readonly string[] OidcScopes = ["openid", "profile", "email", "offline_access"];

    private static readonly string[] GraphPermissions = ["Files.Read", "Files.Read.All", "Sites.Read.All", "User.Read"];

    public static void MapIdentityPlatform(this IEndpointRouteBuilder endpoints)
    {
        var oauth = endpoints.MapGroup("/graph/{tenant}/oauth2/v2.0");
        oauth.MapGet("/authorize", Authorize);
        oauth.MapPost("/token", Token).DisableAntiforgery();
    }

    /// <summary>What the admin shortcut and the authorization endpoint both grant: the scopes asked, as full URIs.</summary>
    public static GraphGrant? Grant(EmulatedUser user, string clientId, string scope, out string? invalidScope)
    {
        invalidScope = null;
        var requested = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var permissions = new List<string>();
        foreach (var item in requested)
        {
            if (OidcScopes.Contains(item, StringComparer.Ordinal))
            {
                continue;
            }
            var name = item.StartsWith(GraphResource, StringComparison.OrdinalIgnoreCase) ? item[GraphResource.Length..] : item;
            if (name == ".default")
            {
                permissions.AddRange(GraphPermissions);
            }
            else if (GraphPermissions.FirstOrDefault(p => string.Equals(p, name, StringComparison.OrdinalIgnoreCase)) is { } permission)
            {
                permissions.Add(permission);
            }
            else
            {
                invalidScope = item;
                return null;
            }
        }
        return new GraphGrant(user, clientId, [.. permissions.Distinct().Select(p => GraphResource + p)], requested.Contains("offline_access", StringComparer.Ordinal));
    }

    private static IResult Authorize(HttpContext http, GraphGrants grants)
    {
        var query = http.Request.Query;
        string? Param(string name) => query[name] is [{ Length: > 0 } value] ? value : null;
        var clientId = Param("client_id");
        var redirectUri = Param("redirect_uri");
        if (clientId is null || redirectUri is null || !Uri.TryCreate(redirectUri, UriKind.Absolute, out _))
        {
            // As the real endpoint: without a client or a redirect URI there is nowhere to send an error, so it is a page.
            var missing = clientId is null ? "client_id" : "redirect_uri";
            return Results.Content($"<html><body><p>AADSTS900144: The request body must contain the following parameter: '{missing}'.</p></body></html>",
                "text/html", statusCode: StatusCodes.Status400BadRequest);
        }

        IResult Redirect(Dictionary<string, string?> parameters)
        {
            if (Param("state") is { } state)
            {
                parameters["state"] = state;
            }
            return Results.Redirect(QueryHelpers.AddQueryString(redirectUri, parameters));
        }
        IResult Error(string error, string description) => Redirect(new() { ["error"] = error, ["error_description"] = description });

        if (Param("response_type") != "code")
        {
            return Error("unsupported_response_type", "AADSTS700054: response_type 'code' is the only one this emulator supports; ask for response_type=code.");
        }
        if (Param("response_mode") is { } mode && mode != "query")
        {
            return Error("invalid_request", $"AADSTS900144: response_mode '{mode}' is not supported here; use response_mode=query.");
        }
        if (Param("scope") is not { } scope)
        {
            return Error("invalid_request", "AADSTS900144: The request body must contain the following parameter: 'scope'.");
        }
        var challenge = Param("code_challenge");
        var method = Param("code_challenge_method") ?? (challenge is null ? null : "plain");
        if (method is not (null or "S256" or "plain") || (method is not null && challenge is null))
        {
            return Error("invalid_request", "AADSTS501491: Invalid size of Code_Challenge parameter or unsupported code_challenge_method; send a code_challenge with code_challenge_method=S256.");
        }
        var hint = Param("login_hint");
        var user = hint is null ? null : EmulatedUsers.All.FirstOrDefault(u => u.Id == hint || string.Equals(u.Email, hint, StringComparison.OrdinalIgnoreCase));
        if (user is null)
        {
            return Error("login_required", "AADSTS50058: A silent sign-in request was sent but no user is signed in. The emulator has no sign-in page: pass login_hint=aditi, renata or priya.");
        }
        var grant = Grant(user, clientId, scope, out var invalidScope);
        if (grant is null)
        {
            return Error("invalid_scope", $"AADSTS70011: The provided value for the input parameter 'scope' is not valid. The scope '{invalidScope}' does not exist.");
        }
        var code = grants.IssueCode(grant, redirectUri, challenge, method);
        return Redirect(new() { ["code"] = code, ["session_state"] = Guid.NewGuid().ToString() });
    }

    private static async Task<IResult> Token(HttpContext http, GraphGrants grants, FaultRegistry faults, TimeProvider time)
    {
        grants.CountTokenRequest();
        if (!http.Request.HasFormContentType)
        {
            return TokenError(time, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'. Send it form-encoded (application/x-www-form-urlencoded).");
        }
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        string? Field(string name) => form[name] is [{ Length: > 0 } value] ? value : null;
        IResult Missing(string name) => TokenError(time, "invalid_request", 900144, $"The request body must contain the following parameter: '{name}'.");

        var grantType = Field("grant_type");
        if (grantType is null)
        {
            return Missing("grant_type");
        }
        if (Field("client_id") is not { } clientId)
        {
            return Missing("client_id");
        }
        switch (grantType)
        {
            case "authorization_code":
                if (Field("code") is not { } code)
                {
                    return Missing("code");
                }
                if (Field("redirect_uri") is not { } redirectUri)
                {
                    return Missing("redirect_uri");
                }
                var redeemed = grants.RedeemCode(code, out var replayed);
                if (redeemed is null)
                {
                    return replayed
                        ? TokenError(time, "invalid_grant", 54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.")
                        : TokenError(time, "invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity or is not one this tenant issued. Send a new interactive authorization request.");
                }
                if (redeemed.Grant.ClientId != clientId)
                {
                    return TokenError(time, "invalid_grant", 70000, "The provided authorization code was issued to another client_id.");
                }
                if (redeemed.RedirectUri != redirectUri)
                {
                    return TokenError(time, "invalid_grant", 50148, "The redirect_uri does not match the one in the authorization request.");
                }
                if (redeemed.CodeChallenge is { } challenge
                    && (Field("code_verifier") is not { } verifier || !Pkce.Verifies(challenge, redeemed.CodeChallengeMethod!, verifier)))
                {
                    return TokenError(time, "invalid_grant", 501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request.");
                }
                return Tokens(grants.Issue(redeemed.Grant));

            case "refresh_token":
                if (Field("refresh_token") is not { } refreshToken)
                {
                    return Missing("refresh_token");
                }
                var grant = grants.FindRefreshToken(refreshToken);
                if (grant is null)
                {
                    return TokenError(time, "invalid_grant", 9002313, "Invalid request. Request is malformed or invalid: the refresh token is not one this tenant issued.");
                }
                if (faults.Has(GraphEmulator.Provider, FaultKind.RevokedGrant, grant.User.Id))
                {
                    grants.Revoke(grant.User);
                }
                if (grant.Revoked)
                {
                    return TokenError(time, "invalid_grant", 50173, "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.");
                }
                if (grant.ClientId != clientId)
                {
                    return TokenError(time, "invalid_grant", 70000, "The provided refresh token was issued to another client_id.");
                }
                grants.CountRefresh();
                return Tokens(grants.Issue(grant));

            default:
                return TokenError(time, "unsupported_grant_type", 70003, $"The app requested an unsupported grant type '{grantType}'; use authorization_code or refresh_token.");
        }
    }

    public static IResult Tokens(GraphTokenResponse response) => Results.Json(response, GraphJson.Identity);

    private static IResult TokenError(TimeProvider time, string error, int code, string description)
    {
        var traceId = Guid.NewGuid();
        var correlationId = Guid.NewGuid();
        var timestamp = time.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var body = new TokenErrorResponse(
            error,
            $"AADSTS{code}: {description} Trace ID: {traceId} Correlation ID: {correlationId} Timestamp: {timestamp}",
            [code], timestamp, traceId.ToString(), correlationId.ToString(), $"https://login.microsoftonline.com/error?code={code}");
        return Results.Json(body, GraphJson.Identity, statusCode: StatusCodes.Status400BadRequest);
    }

    private sealed record TokenErrorResponse(string Error, string ErrorDescription, int[] ErrorCodes, string Timestamp, string TraceId, string CorrelationId, string ErrorUri);
}
