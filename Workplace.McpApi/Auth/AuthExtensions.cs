using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Authentication;
using Workplace.ServiceDefaults.DataProtection;

namespace Workplace.McpApi.Auth;

/// <summary>mcpapi as an OAuth 2.1 resource server (MCP authorization spec): every endpoint needs a valid bearer token
/// unless it is one of the few public paths; scopes map to sources; per-user and global rate limits.</summary>
public static partial class AuthExtensions
{
    public static IHostApplicationBuilder AddWorkplaceAuth(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.Section)
            // Descope's variables are unprefixed so that setting DESCOPE_PROJECT_ID is all a person does.
            .Configure<IConfiguration>((options, configuration) =>
            {
                options.DescopeProjectId ??= configuration[AuthOptions.DescopeProjectIdVariable];
                options.DescopeMcpServerId ??= configuration[AuthOptions.DescopeMcpServerIdVariable];
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddSingleton(sp =>
        {
            var (settings, errors) = AuthSettings.Resolve(
                sp.GetRequiredService<IOptions<AuthOptions>>().Value, sp.GetRequiredService<IHostEnvironment>(), sp.GetRequiredService<IConfiguration>());
            return settings ?? throw new OptionsValidationException(AuthOptions.Section, typeof(AuthOptions), errors);
        });
        services.AddSingleton<BearerChallenge>();
        services.AddWorkplaceDataProtection();
        services.AddSingleton<Workplace.McpApi.Connect.ConnectLinks>();
        services.AddSingleton<AuthMetrics>();
        services.AddSingleton<SourceAccess>();
        services.AddSingleton<ISourceAccess>(sp => sp.GetRequiredService<SourceAccess>());
        services.AddSingleton<UserRateLimiter>();
        services.AddHostedService<AuthStartup>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddSingleton<IConfigureOptions<JwtBearerOptions>, JwtBearerSetup>();
        services.AddAuthorization(options =>
        {
            // A fallback policy, so that endpoints others add later are protected without opting in.
            options.FallbackPolicy = new AuthorizationPolicyBuilder()
                .RequireAssertion(context => context.User.Identity?.IsAuthenticated == true
                    || (context.Resource is HttpContext http && IsPublic(http.Request.Path)))
                .Build();
        });
        return builder;
    }

    public static WebApplication UseWorkplaceAuth(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(RefuseQueryTokens);
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(ApplyRateLimits);

        app.MapGet(AuthSettings.ProtectedResourcePath, ProtectedResourceMetadata).AllowAnonymous().ExcludeFromDescription();
        app.MapGet(AuthSettings.ProtectedResourcePath + "/{**resourcePath}", PathInsertedProtectedResourceMetadata).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>Health probes, discovery documents and the API description are served without a token.</summary>
    public static bool IsPublic(PathString path) =>
        path.Equals("/health", StringComparison.OrdinalIgnoreCase)
        || path.Equals("/alive", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/.well-known", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase);

    // RFC 6750 §2.3 lets a server accept access_token in the query; the MCP spec forbids it, because URLs end up in
    // logs, proxies and browser history. 400 invalid_request (RFC 6750 §3.1: "includes an unsupported parameter"),
    // not 401: a 401 would start a new authorization while the client keeps sending its token in the URL.
    private static Task RefuseQueryTokens(HttpContext context, RequestDelegate next)
    {
        if (!context.Request.Query.ContainsKey("access_token"))
        {
            return next(context);
        }
        context.RequestServices.GetRequiredService<AuthMetrics>().Failed("token_in_query");
        var logger = context.RequestServices.GetRequiredService<ILogger<BearerChallenge>>();
        LogQueryToken(logger, context.Request.Method, context.Request.Path);
        return context.RequestServices.GetRequiredService<BearerChallenge>()
            .InvalidRequest("Access tokens in the query string are refused. Send the token in the Authorization header (Authorization: Bearer <token>) and revoke the one sent in the URL.")
            .ExecuteAsync(context);
    }

    private static async Task ApplyRateLimits(HttpContext context, RequestDelegate next)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value;
        if (!options.RateLimit.Enabled || context.User.Identity?.IsAuthenticated != true)
        {
            await next(context);
            return;
        }
        var userKey = context.RequestServices.GetRequiredService<ISourceAccess>().UserKey(context.User);
        var decision = await context.RequestServices.GetRequiredService<UserRateLimiter>().AcquireAsync(userKey);
        if (decision.Allowed)
        {
            await next(context);
            return;
        }
        context.RequestServices.GetRequiredService<AuthMetrics>().RateLimited(decision.Limit, decision.Store);
        var logger = context.RequestServices.GetRequiredService<ILogger<UserRateLimiter>>();
        LogRateLimited(logger, decision.Limit, userKey, decision.RetryAfter);
        var seconds = (int)Math.Max(1, Math.Ceiling(decision.RetryAfter.TotalSeconds));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var who = decision.Limit == "user" ? "You have sent too many requests" : "This server is receiving too many requests";
        await context.Response.WriteAsJsonAsync(
            new RateLimitedBody("rate_limited", $"{who}. Retry after {seconds} s.", seconds), context.RequestAborted);
    }

    private static JsonHttpResult<ProtectedResourceMetadata> ProtectedResourceMetadata(AuthSettings settings, HttpContext context)
    {
        context.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Json(new ProtectedResourceMetadata
        {
            Resource = settings.Resource,
            AuthorizationServers = [.. settings.AuthorizationServers],
            ScopesSupported = [.. AuthSettings.ReadScopes],
            BearerMethodsSupported = ["header"],
            ResourceName = settings.Options.ResourceName,
        }, McpJsonUtilities.DefaultOptions);
    }

    private static Results<JsonHttpResult<ProtectedResourceMetadata>, NotFound> PathInsertedProtectedResourceMetadata(
        string resourcePath, AuthSettings settings, HttpContext context) =>
        string.Equals("/" + resourcePath.TrimEnd('/'), new Uri(settings.Resource).AbsolutePath, StringComparison.Ordinal)
            ? ProtectedResourceMetadata(settings, context)
            : TypedResults.NotFound();

    private sealed record RateLimitedBody(
        [property: System.Text.Json.Serialization.JsonPropertyName("error")] string Error,
        [property: System.Text.Json.Serialization.JsonPropertyName("error_description")] string ErrorDescription,
        [property: System.Text.Json.Serialization.JsonPropertyName("retry_after_seconds")] int RetryAfterSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Method} {Path}: access token in the query string")]
    private static partial void LogQueryToken(ILogger logger, string method, PathString path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rate limited ({Limit}) user {UserKey}; retry after {RetryAfter}")]
    private static partial void LogRateLimited(ILogger logger, string limit, string userKey, TimeSpan retryAfter);
}
