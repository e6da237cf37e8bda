using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Workplace.Emulators.Google;
using Workplace.Emulators.Google.OAuth;
using Workplace.Emulators.Graph;
using Workplace.Emulators.Notion;
using Workplace.Emulators.Workspace;

namespace Workplace.Emulators.Descope;

/// <summary>The emulated Descope project (configuration <c>Emulators:Descope</c>): its id and management key.</summary>
public sealed class DescopeEmulatorOptions
{
    public const string Section = "Emulators:Descope";

    [Required]
    public string ProjectId { get; set; } = "P2workplaceEmulated";

    [Required]
    public string ManagementKey { get; set; } = "K2workplace-emulated-management-key";
}

/// <summary>
/// Descope's management API for Outbound Apps under <c>/descope</c>: load a user by login ID and fetch the user's
/// latest provider token of an outbound app (<c>google-drive</c>, <c>notion</c>, <c>microsoft</c>), authenticated with
/// <c>Authorization: Bearer {projectId}:{managementKey}</c>; errors as <c>{errorCode, errorDescription, errorMessage}</c>.
/// The tokens are real ones of the emulated providers, so the connectors can use them there. A user's outbound
/// connection is made with <c>POST /admin/descope/connections {"user","appId"}</c> (Descope's own consent page is not emulated).
/// </summary>
public static class DescopeEmulator
{
    public const string GoogleDriveApp = "google-drive";
    public const string NotionApp = "notion";
    public const string MicrosoftApp = "microsoft";

    public static IHostApplicationBuilder AddDescopeEmulator(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DescopeEmulatorOptions>().BindConfiguration(DescopeEmulatorOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DescopeOutboundTokens>();
        return builder;
    }

    public static IEndpointRouteBuilder MapDescopeEmulator(this IEndpointRouteBuilder endpoints)
    {
        var mgmt = endpoints.MapGroup("/descope/v1/mgmt").AddEndpointFilter(RequireManagementKey);
        mgmt.MapGet("/user", (string? loginId) =>
            User(loginId) is { } user
                ? Results.Json(new DescopeUserResponse(new DescopeUser(UserId(user), [user.Email], user.Email, user.Name)))
                : Error(StatusCodes.Status400BadRequest, "E062108", "User not found", $"No user has the login ID '{loginId}'."));
        mgmt.MapPost("/outbound/app/user/token/latest", (DescopeTokenRequest request, DescopeOutboundTokens tokens) =>
        {
            if (string.IsNullOrEmpty(request.AppId) || string.IsNullOrEmpty(request.UserId))
            {
                return Error(StatusCodes.Status400BadRequest, "E011002", "Request is invalid", "appId and userId are required.");
            }
            var user = EmulatedUsers.All.FirstOrDefault(u => UserId(u) == request.UserId);
            var token = user is null ? null : tokens.Latest(user, request.AppId, request.Options?.ForceRefresh == true);
            return token is null
                ? Error(StatusCodes.Status404NotFound, "E061301", "Outbound app token not found", $"The user has not connected the outbound app '{request.AppId}'.")
                : Results.Json(new DescopeTokenResponse(token));
        });

        var admin = endpoints.MapGroup("/admin/descope");
        admin.MapPost("/connections", (DescopeConnectionRequest request, DescopeOutboundTokens tokens) =>
            EmulatedUsers.Find(request.User) is { } user && tokens.Connect(user, request.AppId)
                ? Results.Json(new { userId = UserId(user) })
                : Results.Problem($"Use one of the users {string.Join(", ", EmulatedUsers.All.Select(u => u.Id))} and one of the apps {GoogleDriveApp}, {NotionApp}, {MicrosoftApp}.", statusCode: StatusCodes.Status400BadRequest));
        admin.MapGet("/stats", (DescopeOutboundTokens tokens) => Results.Json(new { tokenRequests = tokens.TokenRequests }));
        return endpoints;
    }

    /// <summary>Descope's user id of an emulated person (Descope ids are opaque and start with U).</summary>
    public static string UserId(EmulatedUser user) => "U2" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(user.Id)))[..25];

    private static EmulatedUser? User(string? loginId) =>
        EmulatedUsers.All.FirstOrDefault(u => string.Equals(u.Email, loginId, StringComparison.OrdinalIgnoreCase));

    private static async ValueTask<object?> RequireManagementKey(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var options = context.HttpContext.RequestServices.GetRequiredService<IOptions<DescopeEmulatorOptions>>().Value;
        var expected = $"{options.ProjectId}:{options.ManagementKey}";
        if (!AuthenticationHeaderValue.TryParse(context.HttpContext.Request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
            || !string.Equals(header.Parameter, expected, StringComparison.Ordinal))
        {
            return Error(StatusCodes.Status401Unauthorized, "E011003", "Unauthorized", "Send Authorization: Bearer <ProjectId>:<ManagementKey>.");
        }
        return await next(context);
    }

    private static IResult Error(int status, string code, string description, string message) =>
        Results.Json(new DescopeError(code, description, message), statusCode: status);
}

/// <summary>Users' connections to outbound apps and the provider tokens Descope holds for them, renewed when they lapse.</summary>
public sealed class DescopeOutboundTokens(GoogleGrants google, IOptions<GoogleEmulatorOptions> googleOptions, NotionOAuth notion, GraphGrants graph, TimeProvider time)
{
    private readonly ConcurrentDictionary<(string User, string App), DescopeToken> _tokens = new();
    private int _tokenRequests;

    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    public bool Connect(EmulatedUser user, string appId)
    {
        if (Issue(user, appId) is not { } token)
        {
            return false;
        }
        _tokens[(user.Id, appId)] = token;
        return true;
    }

    /// <summary>The connection's token, renewed at the provider when it has lapsed or <paramref name="force"/>; null when not connected.</summary>
    public DescopeToken? Latest(EmulatedUser user, string appId, bool force)
    {
        Interlocked.Increment(ref _tokenRequests);
        if (!_tokens.TryGetValue((user.Id, appId), out var token))
        {
            return null;
        }
        if (force || long.Parse(token.AccessTokenExpiry, CultureInfo.InvariantCulture) <= time.GetUtcNow().ToUnixTimeSeconds())
        {
            token = Issue(user, appId)!;
            _tokens[(user.Id, appId)] = token;
        }
        return token;
    }

    private DescopeToken? Issue(EmulatedUser user, string appId)
    {
        (string Access, TimeSpan Lifetime, string Scope)? issued = appId switch
        {
            DescopeEmulator.GoogleDriveApp => (google.Grant(user.Id, googleOptions.Value.ClientId, GoogleOAuthEndpoints.DriveReadonlyScope, offline: true).AccessToken,
                GoogleGrants.AccessTokenLifetime, GoogleOAuthEndpoints.DriveReadonlyScope),
            DescopeEmulator.NotionApp => (notion.Grant(user.Id)["access_token"]!.GetValue<string>(), notion.Options.AccessTokenLifetime, "read_content"),
            DescopeEmulator.MicrosoftApp when IdentityPlatform.Grant(user, "workplace", "offline_access Files.Read.All Sites.Read.All", out _) is { } grant =>
                (graph.Issue(grant).AccessToken, GraphGrants.AccessTokenLifetime, string.Join(' ', grant.Scopes)),
            _ => null,
        };
        if (issued is not { } token)
        {
            return null;
        }
        var now = time.GetUtcNow();
        return new DescopeToken(Guid.NewGuid().ToString("N"), appId, DescopeEmulator.UserId(user), user.Email, token.Access, "bearer",
            (now + token.Lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), true,
            now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), "", token.Scope.Split(' '));
    }
}

public sealed record DescopeUser(
    [property: JsonPropertyName("userId")] string UserId,
    [property: JsonPropertyName("loginIds")] string[] LoginIds,
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("name")] string Name);

public sealed record DescopeUserResponse([property: JsonPropertyName("user")] DescopeUser User);

public sealed record DescopeTokenOptions(
    [property: JsonPropertyName("withRefreshToken")] bool WithRefreshToken,
    [property: JsonPropertyName("forceRefresh")] bool ForceRefresh);

public sealed record DescopeTokenRequest(
    [property: JsonPropertyName("appId")] string? AppId,
    [property: JsonPropertyName("userId")] string? UserId,
    [property: JsonPropertyName("tenantId")] string? TenantId,
    [property: JsonPropertyName("options")] DescopeTokenOptions? Options);

/// <summary>Descope's outbound token (int64 fields travel as strings, as in Descope's protobuf JSON).</summary>
public sealed record DescopeToken(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("appId")] string AppId,
    [property: JsonPropertyName("userId")] string UserId,
    [property: JsonPropertyName("tokenSub")] string TokenSub,
    [property: JsonPropertyName("accessToken")] string AccessToken,
    [property: JsonPropertyName("accessTokenType")] string AccessTokenType,
    [property: JsonPropertyName("accessTokenExpiry")] string AccessTokenExpiry,
    [property: JsonPropertyName("hasRefreshToken")] bool HasRefreshToken,
    [property: JsonPropertyName("lastRefreshTime")] string LastRefreshTime,
    [property: JsonPropertyName("lastRefreshError")] string LastRefreshError,
    [property: JsonPropertyName("scopes")] string[] Scopes);

public sealed record DescopeTokenResponse([property: JsonPropertyName("token")] DescopeToken Token);

public sealed record DescopeError(
    [property: JsonPropertyName("errorCode")] string ErrorCode,
    [property: JsonPropertyName("errorDescription")] string ErrorDescription,
    [property: JsonPropertyName("errorMessage")] string ErrorMessage);

public sealed record DescopeConnectionRequest(string User, string AppId);
