using Workplace.Emulators.Faults;
using Workplace.Emulators.Google.OAuth;
using Workplace.Emulators.Workspace;

namespace Workplace.Emulators.Google.Drive;

/// <summary>Who calls Drive, and whether their scopes reach file content or metadata only.</summary>
public sealed record DriveCaller(EmulatedUser User, bool CanReadContent)
{
    public static DriveCaller Of(HttpContext context) =>
        context.Features.Get<DriveCaller>() ?? throw new InvalidOperationException("Drive endpoints run behind DriveAccess.");
}

/// <summary>
/// What every Drive call passes first, in Google's order: a bearer token that is live and carries a Drive scope,
/// then whatever fault the tests injected for this user.
/// </summary>
public static class DriveAccess
{
    private static readonly HashSet<string> ContentScopes = new(StringComparer.Ordinal)
    {
        "https://www.googleapis.com/auth/drive",
        "https://www.googleapis.com/auth/drive.readonly",
    };

    private static readonly HashSet<string> MetadataScopes = new(StringComparer.Ordinal)
    {
        "https://www.googleapis.com/auth/drive.metadata",
        "https://www.googleapis.com/auth/drive.metadata.readonly",
    };

    public static async ValueTask<object?> Check(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var services = context.RequestServices;
        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return DriveErrors.LoginRequired(context);
        }
        if (services.GetRequiredService<GoogleGrants>().FindAccessToken(authorization["Bearer ".Length..].Trim()) is not { } token
            || EmulatedUsers.Find(token.Grant.User) is not { } user)
        {
            return DriveErrors.InvalidCredentials(context);
        }
        var scopes = token.Grant.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var content = scopes.Any(ContentScopes.Contains);
        if (!content && !scopes.Any(MetadataScopes.Contains))
        {
            return DriveErrors.InsufficientScopes();
        }

        context.Features.Set(new DriveCaller(user, content));
        switch (services.GetRequiredService<FaultRegistry>().Take(GoogleEmulator.Provider, user.Id))
        {
            case { Kind: FaultKind.RateLimited } fault:
                context.Response.Headers.RetryAfter = (fault.RetryAfterSeconds ?? 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return DriveErrors.Of(StatusCodes.Status429TooManyRequests, "Rate Limit Exceeded", "usageLimits", "rateLimitExceeded", statusName: "RESOURCE_EXHAUSTED");
            case { Kind: FaultKind.ProviderThrottled } fault:
                // Google's 403 carries no Retry-After; one is sent only when the test asks for it.
                if (fault.RetryAfterSeconds is { } seconds)
                {
                    context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                return DriveErrors.Of(StatusCodes.Status403Forbidden, "Rate Limit Exceeded", "usageLimits", "rateLimitExceeded");
            case { Kind: FaultKind.ServerError } fault:
                var status = fault.Status ?? StatusCodes.Status503ServiceUnavailable;
                return status == StatusCodes.Status500InternalServerError
                    ? DriveErrors.Of(status, "Internal Error", "global", "backendError")
                    : DriveErrors.Of(status, "The service is currently unavailable.", "global", "backendError", statusName: "UNAVAILABLE");
            case { Kind: FaultKind.Latency } fault:
                return await FaultLatency.AnswerAfterAsync(fault, context, () => next(invocation));
            case { Kind: FaultKind.Hang }:
                await HangUntilAborted(context.RequestAborted);
                return Results.Empty;
            case { Kind: FaultKind.MalformedJson }:
                return Results.Text("{\"kind\":\"drive#fileList\",\"files\":[{\"id\":\"1x", "application/json; charset=UTF-8", statusCode: StatusCodes.Status200OK);
            case { Kind: FaultKind.ExpiredToken or FaultKind.RevokedGrant }:
                return DriveErrors.InvalidCredentials(context);
        }
        return await next(invocation);
    }

    private static async Task HangUntilAborted(CancellationToken aborted)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, aborted);
        }
        catch (OperationCanceledException)
        {
            // The client gave up: that is the end of a hang.
        }
    }
}
