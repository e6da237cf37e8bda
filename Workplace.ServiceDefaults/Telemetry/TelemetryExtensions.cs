using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Workplace.ServiceDefaults.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>Our own sources and meters: every `Workplace.*` name, so a new component needs no registration here.</summary>
    public const string OwnSourcesAndMeters = "Workplace.*";

    // Emitted by .NET itself; OpenTelemetry.Instrumentation.* does not restore here, so we listen by name.
    public static readonly IReadOnlyList<string> BuiltInActivitySources =
    [
        "Microsoft.AspNetCore",
        "System.Net.Http",
        "Experimental.ModelContextProtocol",
    ];

    public static readonly IReadOnlyList<string> BuiltInMeters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
        "Microsoft.AspNetCore.RateLimiting",
        "Microsoft.AspNetCore.Authentication",
        "Microsoft.AspNetCore.Authorization",
        "System.Net.Http",
        "System.Net.NameResolution",
        "System.Runtime",
        "Experimental.ModelContextProtocol",
    ];

    // Until .NET 11, ASP.NET Core leaves its hosting spans without semantic-convention tags unless this switch is
    // false. The services set it in their csproj; setting it here covers any other host using these defaults.
    private const string SuppressActivityOpenTelemetryData = "Microsoft.AspNetCore.Hosting.SuppressActivityOpenTelemetryData";

    public static IHostApplicationBuilder AddWorkplaceTelemetry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!AppContext.TryGetSwitch(SuppressActivityOpenTelemetryData, out _))
        {
            AppContext.SetSwitch(SuppressActivityOpenTelemetryData, false);
        }

        var otel = new OpenTelemetryServicesBuilder(builder.Services);
        // The SDK reads OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES from configuration; an explicit AddService
        // would override them, so the application name is only the fallback.
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_SERVICE_NAME"]))
        {
            otel.ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName));
        }
        otel.WithMetrics(metrics => metrics.AddMeter([.. BuiltInMeters, OwnSourcesAndMeters, builder.Environment.ApplicationName]));
        otel.WithTracing(tracing => tracing.AddSource([.. BuiltInActivitySources, OwnSourcesAndMeters, builder.Environment.ApplicationName]));
        otel.WithLogging(configureBuilder: null, configureOptions: logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        // No endpoint, no exporter: a developer without a collector gets no export errors in the console.
        // The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT, _HEADERS and _PROTOCOL itself.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.UseOtlpExporter();
        }

        // What OpenTelemetry.Extensions.Hosting would do: build the providers before any other hosted service
        // starts, so the first request is traced, and dispose (flush) them with the container.
        if (!builder.Services.Any(d => d.ImplementationType == typeof(TelemetryProvidersStarter)))
        {
            builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, TelemetryProvidersStarter>());
        }
        builder.Services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, SpanEnrichmentStartupFilter>());
        return builder;
    }

    private sealed class OpenTelemetryServicesBuilder(IServiceCollection services) : IOpenTelemetryBuilder
    {
        public IServiceCollection Services { get; } = services;
    }

    private sealed class TelemetryProvidersStarter(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = services.GetService<TracerProvider>();
            _ = services.GetService<MeterProvider>();
            _ = services.GetService<LoggerProvider>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    // Runs the enrichment middleware first in every pipeline (outside UseExceptionHandler, so it sees the final
    // status code). UseRouting is called by WebApplication after startup filters, so the middleware reads the
    // endpoint after `next` returns, when routing has run.
    private sealed class SpanEnrichmentStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseMiddleware<SpanEnrichmentMiddleware>();
            next(app);
        };
    }

    internal static bool IsHealthProbe(string? path) =>
        string.Equals(path, Health.HealthEndpoints.HealthPath, StringComparison.OrdinalIgnoreCase)
        || string.Equals(path, Health.HealthEndpoints.AlivePath, StringComparison.OrdinalIgnoreCase);
}
