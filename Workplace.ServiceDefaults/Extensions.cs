using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Workplace.ServiceDefaults.Health;
using Workplace.ServiceDefaults.Resilience;
using Workplace.ServiceDefaults.Telemetry;

namespace Microsoft.Extensions.Hosting;

// Aspire's service-defaults contract (dotnet/aspire templates/aspire-servicedefaults), built without the Aspire
// packages, which do not restore here. A service calls AddServiceDefaults() on its builder and
// MapDefaultEndpoints() on its app, and would run unchanged under an Aspire AppHost.
public static class Extensions
{
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddWorkplaceTelemetry();
        builder.AddDefaultHealthChecks();
        builder.AddHttpResilience();
        builder.Services.ConfigureHttpClientDefaults(http => http.AddWorkplaceResilienceHandler());
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
