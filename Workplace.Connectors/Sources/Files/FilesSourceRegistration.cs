using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Workplace.Connectors.Sources;
using Workplace.Connectors.Sources.Files;
using Workplace.Connectors.Telemetry;

namespace Microsoft.Extensions.Hosting;

public static class FilesSourceRegistration
{
    /// <summary>The `files` source: options `Sources:Files`, index, watcher, and a readiness check on the first scan.</summary>
    public static IHostApplicationBuilder AddFilesSource(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<FilesOptions>().BindConfiguration(FilesOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp =>
        {
            var index = new FilesIndex();
            sp.GetRequiredService<ConnectorMetrics>().ObserveIndexSize(FilesSource.SourceId, () => index.Count);
            return index;
        });
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<FilesOptions>>().Value;
            var root = FilesRoot.Resolve(options.Root, sp.GetRequiredService<IHostEnvironment>().ContentRootPath);
            return new FolderIndexer(sp.GetRequiredService<FilesIndex>(), root, options.MaxFileBytes, sp.GetRequiredService<ILogger<FolderIndexer>>());
        });
        builder.Services.AddSingleton<FilesWatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FilesWatcher>());
        builder.Services.AddSingleton<IDocumentSource, FilesSource>();
        builder.Services.AddHealthChecks().AddCheck<FilesIndexReadiness>("files-index");
        return builder;
    }

    private sealed class FilesIndexReadiness(FilesWatcher watcher) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(watcher.Ready.IsCompletedSuccessfully
                ? HealthCheckResult.Healthy("The files index holds the first full scan.")
                : HealthCheckResult.Unhealthy("The files index is still being built; retry shortly."));
    }
}
