using Microsoft.Extensions.DependencyInjection;

namespace Workplace.AppHost;

/// <summary>
/// <c>WORKPLACE_DASHBOARD=off</c>: no dashboard, for machines short of cores and for benchmarks. Aspire still gives every
/// project the dashboard's OTLP address, where nothing listens then: each service would record every span, metric and
/// log record, fail to export them and retry, on every request. Without a dashboard the services get no OTLP endpoint,
/// so they build no telemetry pipeline at all (Workplace.ServiceDefaults' AddWorkplaceTelemetry).
/// </summary>
public static class DashboardSwitch
{
    public const string Key = "WORKPLACE_DASHBOARD";

    public static bool IsOff => string.Equals(Environment.GetEnvironmentVariable(Key), "off", StringComparison.OrdinalIgnoreCase);

    public static IDistributedApplicationBuilder WithoutTelemetryWhenDashboardOff(this IDistributedApplicationBuilder builder)
    {
        builder.Eventing.Subscribe<BeforeStartEvent>((startup, _) =>
        {
            if (startup.Services.GetRequiredService<DistributedApplicationOptions>().DisableDashboard)
            {
                // Added last, so it runs after the OTLP callback Aspire attached when the project was added.
                foreach (var project in startup.Model.Resources.OfType<ProjectResource>())
                {
                    project.Annotations.Add(new EnvironmentCallbackAnnotation(context => context.EnvironmentVariables.Remove("OTEL_EXPORTER_OTLP_ENDPOINT")));
                }
            }
            return Task.CompletedTask;
        });
        return builder;
    }
}
