using Microsoft.Extensions.DependencyInjection.Extensions;
using Workplace.Emulators.Faults;
using Workplace.Emulators.Workspace;

namespace Workplace.Emulators.Notion;

public static class NotionEmulator
{
    /// <summary>The Notion API versions answered; 2026-03-11 differs from 2025-09-03 only in fields the samples do not hold.</summary>
    public static readonly string[] Versions = ["2025-09-03", "2026-03-11"];

    public static IHostApplicationBuilder AddNotionEmulator(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<NotionEmulatorOptions>()
            .BindConfiguration(NotionEmulatorOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<NotionWorkspace>();
        builder.Services.AddSingleton<NotionOAuth>();
        builder.Services.TryAddSingleton<ContentReads>();
        return builder;
    }

    /// <summary>The API under <c>/notion/v1</c> and its test shortcuts under <c>/admin/notion</c>.</summary>
    public static IEndpointRouteBuilder MapNotionEmulator(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapGroup("/notion/v1");
        v1.MapNotionOAuth();
        v1.MapGroup("").AddEndpointFilter(CheckRequest).MapNotionApi();
        endpoints.MapNotionAdmin();
        return endpoints;
    }

    /// <summary>What Notion checks before any endpoint: the bearer token, then Notion-Version; then the injected fault, if any.</summary>
    private static async ValueTask<object?> CheckRequest(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var oauth = http.RequestServices.GetRequiredService<NotionOAuth>();
        var authorization = http.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || oauth.Authenticate(authorization["Bearer ".Length..].Trim()) is not { } caller)
        {
            return NotionResults.Unauthorized();
        }
        var version = http.Request.Headers["Notion-Version"].ToString();
        if (version.Length == 0)
        {
            return NotionResults.Error(StatusCodes.Status400BadRequest, "missing_version", "Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.");
        }
        if (!Versions.Contains(version, StringComparer.Ordinal))
        {
            return NotionResults.Validation($"Notion-Version header failed validation: this emulator answers {string.Join(" and ", Versions)}, instead was `{version}`.");
        }
        http.Items[typeof(NotionCaller)] = caller;

        var fault = http.RequestServices.GetRequiredService<FaultRegistry>().Take(NotionOAuth.Provider, caller.User);
        switch (fault?.Kind)
        {
            case FaultKind.RateLimited:
                http.Response.Headers.RetryAfter = (fault.RetryAfterSeconds ?? 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return NotionResults.Error(StatusCodes.Status429TooManyRequests, "rate_limited", "You have been rate limited. Please try again in a few minutes.");
            case FaultKind.ProviderThrottled:
                if (fault.RetryAfterSeconds is { } seconds)
                {
                    http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                return NotionResults.Error(529, "service_overload", "Notion is experiencing high load. Please try again later.");
            case FaultKind.ServerError:
                return ServerError(fault.Status ?? StatusCodes.Status503ServiceUnavailable);
            case FaultKind.Latency:
                return await FaultLatency.AnswerAfterAsync(fault, http, () => next(context));
            case FaultKind.Hang:
                await Task.Delay(Timeout.Infinite, http.RequestAborted);
                break;
            case FaultKind.MalformedJson:
                return Results.Content("{\"object\":\"list\",\"results\":[{\"object\":\"page\",\"id\":", "application/json; charset=utf-8");
            case FaultKind.ExpiredToken or FaultKind.RevokedGrant:
                return NotionResults.Unauthorized();
        }
        return await next(context);
    }

    private static IResult ServerError(int status) => status switch
    {
        StatusCodes.Status500InternalServerError => NotionResults.Error(status, "internal_server_error", "Unexpected error occurred."),
        StatusCodes.Status502BadGateway => NotionResults.Error(status, "bad_gateway", "Bad gateway."),
        StatusCodes.Status504GatewayTimeout => NotionResults.Error(status, "gateway_timeout", "Notion timed out while processing the request."),
        _ => NotionResults.Error(status, "service_unavailable", "Notion is unavailable. Please try again later."),
    };

    public static NotionCaller Caller(this HttpContext http) => (NotionCaller)http.Items[typeof(NotionCaller)]!;
}
