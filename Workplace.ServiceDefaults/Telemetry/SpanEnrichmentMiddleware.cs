using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Workplace.ServiceDefaults.Telemetry;

// Adds what ASP.NET Core 10's hosting span lacks without OpenTelemetry.Instrumentation.AspNetCore: the
// `METHOD /route` name, http.route, http.response.status_code and, for 5xx, error.type with an error status.
// Health probes are polled every few seconds by orchestrators: their spans are dropped before export.
internal sealed class SpanEnrichmentMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var activity = context.Features.Get<IHttpActivityFeature>()?.Activity;
        if (activity is null)
        {
            await next(context);
            return;
        }

        if (TelemetryExtensions.IsHealthProbe(context.Request.Path.Value))
        {
            // Not recorded, not exported; children (e.g. a check's HttpClient call) inherit the decision.
            activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            activity.IsAllDataRequested = false;
            await next(context);
            return;
        }

        string? errorType = null;
        try
        {
            await next(context);
        }
        catch (Exception e)
        {
            errorType = e.GetType().FullName;
            throw;
        }
        finally
        {
            // An exception that escapes becomes a 500 from the server unless the response had already started.
            var status = errorType is not null && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
            if (!string.IsNullOrEmpty(route))
            {
                activity.SetTag("http.route", route);
                activity.DisplayName = $"{context.Request.Method} {route}";
            }
            activity.SetTag("http.response.status_code", status);
            if (status >= 500 || errorType is not null)
            {
                activity.SetTag("error.type", errorType ?? status.ToString(CultureInfo.InvariantCulture));
                activity.SetStatus(ActivityStatusCode.Error);
            }
        }
    }
}
