using Microsoft.Extensions.DependencyInjection.Extensions;
using Workplace.Emulators.Faults;
using Workplace.Emulators.Workspace;

namespace Workplace.Emulators.Graph;

/// <summary>
/// Microsoft Graph v1.0 (search over drive items, drive items and their content) and the Microsoft identity platform,
/// under <c>/graph</c>, with Halcyon Robotics' OneDrives and SharePoint sites (<see cref="GraphWorkspace"/>).
/// </summary>
public static class GraphEmulator
{
    /// <summary>The key of this provider's faults in <see cref="FaultRegistry"/>.</summary>
    public const string Provider = "graph";

    public static IHostApplicationBuilder AddGraphEmulator(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<GraphWorkspace>();
        builder.Services.AddSingleton<GraphGrants>();
        builder.Services.AddSingleton<GraphDownloads>();
        builder.Services.TryAddSingleton<ContentReads>();
        return builder;
    }

    public static IEndpointRouteBuilder MapGraphEmulator(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapIdentityPlatform();

        var api = endpoints.MapGroup("/graph/v1.0").AddEndpointFilter(GraphGate.Invoke);
        api.MapPost("/search/query", GraphSearch.Query);
        api.MapDriveItems();
        api.MapGet("/me", (HttpContext http) => Results.Json(GraphUser.Of(GraphCaller.Of(http).User), GraphJson.Api));
        api.MapPost("/me/revokeSignInSessions", (HttpContext http, GraphGrants grants) =>
        {
            grants.Revoke(GraphCaller.Of(http).User);
            return Results.Json(new RevokeResponse("https://graph.microsoft.com/v1.0/$metadata#Edm.Boolean", true), GraphJson.Api);
        });
        api.MapFallback("{**segment}", (HttpContext http, string segment) =>
            GraphErrors.BadRequest(http, $"Resource not found for the segment '{segment.Split('/')[0]}'."));

        endpoints.MapDownloads();
        endpoints.MapGraphAdmin();
        return endpoints;
    }

    /// <summary>
    /// <c>POST /admin/graph/grants {"user":"aditi"}</c> (optional <c>clientId</c>, default <c>workplace</c>, and <c>scope</c>,
    /// default offline access to Files.Read.All, Sites.Read.All and User.Read) answers the token endpoint's response for
    /// that user without the browser round trip; <c>GET /admin/graph/stats</c> counts the token endpoint's calls and the
    /// content downloads (<c>contentReads</c>); <c>POST /admin/graph/documents/{itemId}</c> with a <see cref="DocumentEdit"/>
    /// replaces a Markdown or text file's content (<see cref="DocumentEdited"/>: its new cTag).
    /// </summary>
    private static void MapGraphAdmin(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/admin/graph");
        admin.MapPost("/grants", (AdminGrantRequest request, GraphGrants grants) =>
        {
            if (EmulatedUsers.Find(request.User) is not { } user)
            {
                return Results.Problem($"No emulated user '{request.User}'; use one of {string.Join(", ", EmulatedUsers.All.Select(u => u.Id))}.", statusCode: StatusCodes.Status400BadRequest);
            }
            var grant = IdentityPlatform.Grant(user, request.ClientId ?? "workplace", request.Scope ?? "offline_access Files.Read.All Sites.Read.All User.Read", out var invalidScope);
            return grant is null
                ? Results.Problem($"The scope '{invalidScope}' is not a Graph permission this emulator knows.", statusCode: StatusCodes.Status400BadRequest)
                : IdentityPlatform.Tokens(grants.Issue(grant));
        });
        admin.MapGet("/stats", (GraphGrants grants, ContentReads reads) => Results.Json(grants.Stats with { ContentReads = reads.Of(Provider) }, GraphJson.Api));
        admin.MapPost("/documents/{itemId}", (string itemId, DocumentEdit edit, GraphWorkspace workspace, TimeProvider time) =>
            edit.Text is not { } text ? Results.Problem("text is required: the file's new content.", statusCode: StatusCodes.Status400BadRequest)
            : workspace.Edit(itemId, text, time.GetUtcNow()) is { } item ? Results.Ok(new DocumentEdited(item.Id, DriveItemResource.Of(item).CTag))
            : Results.Problem($"No Markdown or text file '{itemId}' in the sample tenant.", statusCode: StatusCodes.Status404NotFound));
    }

    private sealed record AdminGrantRequest(string User, string? ClientId, string? Scope);

    private sealed record RevokeResponse(
        [property: System.Text.Json.Serialization.JsonPropertyName("@odata.context")] string Context, bool Value);
}

/// <summary>The signed-in user of a Graph request and the permissions their token carries.</summary>
public sealed record GraphCaller(EmulatedUser User, IReadOnlyList<string> Scopes)
{
    public bool CanReadFiles => Scopes.Any(s => s.EndsWith("/Files.Read", StringComparison.Ordinal)
        || s.EndsWith("/Files.Read.All", StringComparison.Ordinal) || s.EndsWith("/Sites.Read.All", StringComparison.Ordinal));

    public static GraphCaller Of(HttpContext http) =>
        http.Features.Get<GraphCaller>() ?? throw new InvalidOperationException("A Graph endpoint ran without the gate.");
}

/// <summary>A user as <c>GET /me</c> answers.</summary>
public sealed record GraphUser(string Id, string DisplayName, string Mail, string UserPrincipalName, string Department)
{
    public static GraphUser Of(EmulatedUser user) =>
        new(GraphWorkspace.UserId(user), user.Name, user.Email, user.Email, user.Department);
}

/// <summary>What Graph checks before any endpoint answers: the bearer token, then the faults injected for its user.</summary>
public static class GraphGate
{
    public static async ValueTask<object?> Invoke(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var clientRequestId = http.Request.Headers["client-request-id"].ToString();
        var requestId = Guid.NewGuid().ToString();
        http.Response.Headers["request-id"] = requestId;
        http.Response.Headers["client-request-id"] = clientRequestId.Length > 0 ? clientRequestId : requestId;

        var grants = http.RequestServices.GetRequiredService<GraphGrants>();
        var authorization = http.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || authorization.Length == "Bearer ".Length)
        {
            return Unauthorized(http, "Access token is empty.");
        }
        var state = grants.Check(authorization["Bearer ".Length..].Trim(), out var grant);
        switch (state)
        {
            case AccessTokenState.Unknown:
                return Unauthorized(http, "Access token validation failure. Invalid audience or signature: this is not a token the emulated tenant issued.");
            case AccessTokenState.Expired:
                return Unauthorized(http, "Lifetime validation failed, the token is expired.");
            case AccessTokenState.Revoked:
                return Unauthorized(http, "Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp");
        }
        var caller = new GraphCaller(grant!.User, grant.Scopes);
        var path = http.Request.Path.Value ?? "";
        var profileOnly = path.EndsWith("/v1.0/me", StringComparison.OrdinalIgnoreCase) || path.EndsWith("/v1.0/me/revokeSignInSessions", StringComparison.OrdinalIgnoreCase);
        if (!profileOnly && !caller.CanReadFiles)
        {
            return GraphErrors.Problem(http, StatusCodes.Status403Forbidden, "accessDenied",
                "Access denied: the token carries none of Files.Read, Files.Read.All or Sites.Read.All. Ask for one of them in the scope of the authorization request.");
        }
        http.Features.Set(caller);

        var faults = http.RequestServices.GetRequiredService<FaultRegistry>();
        switch (faults.Take(GraphEmulator.Provider, caller.User.Id))
        {
            case null:
                break;
            case { Kind: FaultKind.RateLimited } fault:
                return GraphErrors.Problem(http, StatusCodes.Status429TooManyRequests, "TooManyRequests",
                    "Too many requests. Retry after the number of seconds in Retry-After.", fault.RetryAfterSeconds ?? 1);
            case { Kind: FaultKind.ProviderThrottled } fault:
                return GraphErrors.Problem(http, StatusCodes.Status503ServiceUnavailable, "serviceNotAvailable",
                    "The service is temporarily unavailable. Retry after the number of seconds in Retry-After.", fault.RetryAfterSeconds ?? 1);
            case { Kind: FaultKind.ServerError } fault:
                var status = fault.Status ?? StatusCodes.Status503ServiceUnavailable;
                return GraphErrors.Problem(http, status, status switch
                {
                    StatusCodes.Status503ServiceUnavailable => "serviceNotAvailable",
                    StatusCodes.Status504GatewayTimeout => "gatewayTimeout",
                    _ => "generalException",
                }, "An unexpected error occurred on the server. Retry later.");
            case { Kind: FaultKind.Latency } fault:
                return await FaultLatency.AnswerAfterAsync(fault, http, () => next(context));
            case { Kind: FaultKind.Hang }:
                await Task.Delay(Timeout.InfiniteTimeSpan, http.RequestAborted);
                break;
            case { Kind: FaultKind.MalformedJson }:
                return Results.Text("{\"value\":[{\"hitsContainers\":[{\"hits\":[{\"hitId\":", "application/json", statusCode: StatusCodes.Status200OK);
            case { Kind: FaultKind.ExpiredToken }:
                grants.ExpireAccessTokens(caller.User);
                return Unauthorized(http, "Lifetime validation failed, the token is expired.");
            case { Kind: FaultKind.RevokedGrant }:
                grants.Revoke(caller.User);
                return Unauthorized(http, "Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp");
        }
        return await next(context);
    }

    private static IResult Unauthorized(HttpContext http, string message)
    {
        http.Response.Headers.WWWAuthenticate =
            "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"";
        return GraphErrors.Problem(http, StatusCodes.Status401Unauthorized, "InvalidAuthenticationToken", message);
    }
}
