using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Http.Resilience;
using Workplace.ServiceDefaults.Health;
using Workplace.ServiceDefaults.Resilience;
using Workplace.ServiceDefaults.Telemetry;

namespace Microsoft.Extensions.Hosting;

// Aspire's service-defaults contract (the aspire-servicedefaults template): a service calls AddServiceDefaults() on
// its builder and MapDefaultEndpoints() on its app.
public static class Extensions
{
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddWorkplaceTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Resilience outside service discovery: every retry resolves an endpoint again. One circuit breaker per
            // downstream: a failing host does not cut the calls to the others.
            http.AddStandardResilienceHandler().SelectPipelineByAuthority();
            http.AddServiceDiscovery();
        });
        builder.AddHttpResilienceOptions();
        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        // "live" checks say the process can serve at all; everything else (Redis, downstream services) is readiness.
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [HealthEndpoints.LiveTag]);
        return builder;
    }

    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Always mapped, not only in Development as in the Aspire template: the AppHost, the tests and a
        // Kubernetes probe all gate on them. They reveal check names and statuses, never exception details.
        app.MapHealthEndpoints();
        return app;
    }
}
