using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Workplace.ServiceDefaults.Health;

namespace Workplace.ServiceDefaults.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>Our own sources and meters: every `Workplace.*` name, so a new component needs no registration here.</summary>
    public const string OwnSourcesAndMeters = "Workplace.*";

    /// <summary>The MCP SDK's ActivitySource and Meter.</summary>
    public const string ModelContextProtocol = "Experimental.ModelContextProtocol";

    // The HttpClients the OTLP exporter takes from IHttpClientFactory (http/protobuf), one per signal.
    private static readonly string[] s_exporterClients = ["OtlpTraceExporter", "OtlpMetricExporter", "OtlpLogExporter"];

    // ASP.NET Core's "Request starting" line carries the query string, where a careless client may put a token;
    // every request is traced (with the query redacted) anyway. Its "Request finished" line goes with it. The rest of
    // ASP.NET Core's per-request lines (routing, results) go to Warning as in the Aspire templates: at Information they
    // are several lines a request, and under a burst the console they queue on slows every request down.
    private const string HostingDiagnostics = "Microsoft.AspNetCore.Hosting.Diagnostics";
    private const string AspNetCore = "Microsoft.AspNetCore";

    // The same holds for every outgoing call: IHttpClientFactory writes four Information lines a request and Polly one a
    // pipeline run. Traces and the meters keep all of it; failures still log at Warning and above.
    private const string HttpClientLogs = "System.Net.Http.HttpClient";

    // The standard resilience handler's meter: every attempt, retry and circuit change, counted.
    private const string Polly = "Polly";

    // The MCP SDK writes Information lines for every message and tool call (handled, completed, with its duration): on a
    // cached search they were a fifth of mcpapi's CPU, and the console logger's queue turned them into lock contention.
    // Its spans and meter keep the same facts where a collector is configured; its warnings and errors still log.
    private const string McpSdkLogs = "ModelContextProtocol";

    /// <summary>Whether telemetry is exported: an OTLP endpoint is configured (the exporter reads it itself).</summary>
    public static bool IsExporting(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    public static IHostApplicationBuilder AddWorkplaceTelemetry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var applicationName = builder.Environment.ApplicationName;
        builder.Logging.AddFilter(HostingDiagnostics, LogLevel.Warning);
        builder.Logging.AddFilter(AspNetCore, LogLevel.Warning);
        builder.Logging.AddFilter(HttpClientLogs, LogLevel.Warning);
        builder.Logging.AddFilter(Polly, LogLevel.Warning);
        builder.Logging.AddFilter(McpSdkLogs, LogLevel.Warning);

        // No endpoint, no telemetry pipeline: with no exporter nobody reads the spans, metrics and log records, so
        // recording them would be work on every request for nothing. It also spares a developer without a collector
        // the export errors. The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT, _HEADERS and _PROTOCOL itself.
        if (!IsExporting(builder.Configuration))
        {
            return builder;
        }

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var otel = builder.Services.AddOpenTelemetry();
        // The SDK reads OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES from configuration; an explicit AddService
        // would override them, so the application name is only the fallback.
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_SERVICE_NAME"]))
        {
            otel.ConfigureResource(resource => resource.AddService(applicationName));
        }
        otel.WithMetrics(metrics => metrics
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddRuntimeInstrumentation()
            .AddMeter(OwnSourcesAndMeters, ModelContextProtocol, Polly, applicationName));
        otel.WithTracing(tracing => tracing
            .AddSource(OwnSourcesAndMeters, ModelContextProtocol, applicationName)
            // Orchestrators poll the probes every few seconds: their requests are not traced.
            .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsHealthProbe(context.Request.Path))
            // Query strings may carry secrets: the instrumentation records url.query with its values redacted, and
            // .NET's HttpClient redacts the query of url.full, so no redaction of our own is needed.
            .AddHttpClientInstrumentation());
        otel.UseOtlpExporter();

        // Without the resilience handler: the exporter retries on its own, and the handler's pipelines are disposed
        // with the container before the providers flush their last batch at shutdown, which would lose it.
        foreach (var client in s_exporterClients)
        {
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is the package's way to opt one client out.
            builder.Services.AddHttpClient(client).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        }
        return builder;
    }

    private static bool IsHealthProbe(PathString path) =>
        path.Equals(HealthEndpoints.HealthPath, StringComparison.OrdinalIgnoreCase)
        || path.Equals(HealthEndpoints.AlivePath, StringComparison.OrdinalIgnoreCase);
}
