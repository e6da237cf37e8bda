using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using System.Globalization;
using Workplace.Connectors.Sources;
using Workplace.ServiceDefaults.ConnectorApi;

namespace Workplace.Connectors.Api;

/// <summary>RFC 9457 problem details whose `detail` says what went wrong and what to do.</summary>
public static class Problems
{
    public static ProblemHttpResult Create(int status, string title, string detail) =>
        TypedResults.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail });

    public static ProblemHttpResult BadRequest(string detail) => Create(StatusCodes.Status400BadRequest, "Bad request", detail);

    public static ProblemHttpResult NotFound(string detail) => Create(StatusCodes.Status404NotFound, "Not found", detail);

    public static ProblemHttpResult Forbidden(string source) => Create(StatusCodes.Status403Forbidden, "Source not granted",
        $"The caller's token does not grant the source '{source}'. Ask for the scope workplace:read:{source} and call again.");

    public static ProblemHttpResult UnknownSource(string source) =>
        NotFound($"There is no source '{source}'. List the available sources at {ConnectorRoutes.Sources}.");

    public static ProblemHttpResult From(SourceRequestException e, HttpContext context)
    {
        if (e.Failure is SourceFailure.RateLimited or SourceFailure.Unavailable && e.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }
        return e.Failure switch
        {
            SourceFailure.InvalidRequest or SourceFailure.InvalidId or SourceFailure.RangeOutOfBounds => BadRequest(e.Message),
            SourceFailure.NotFound => NotFound(e.Message),
            SourceFailure.RateLimited => Create(StatusCodes.Status429TooManyRequests, "Provider rate limit", e.Message),
            SourceFailure.NotConnected => Create(StatusCodes.Status409Conflict, "Not connected", e.Message),
            SourceFailure.Unavailable => Create(StatusCodes.Status503ServiceUnavailable, "Source paused", e.Message),
            SourceFailure.Timeout => Create(StatusCodes.Status504GatewayTimeout, "Provider timeout", e.Message),
            _ => Create(StatusCodes.Status502BadGateway, "Provider failure", e.Message),
        };
    }
}
