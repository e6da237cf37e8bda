using Microsoft.Extensions.DependencyInjection.Extensions;
using Workplace.Connectors.Sources;
using Workplace.Connectors.Sources.Providers;
using Workplace.Connectors.Telemetry;

namespace Microsoft.Extensions.Hosting;

public static class SourceRegistration
{
    /// <summary>Registers every document source and the registry that routes to them by id.</summary>
    public static IHostApplicationBuilder AddConnectorSources(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ConnectorMetrics>();
        builder.Services.AddSingleton<SourceRegistry>();
        builder.Services.TryAddSingleton<ProviderCircuits>(sp => new ProviderCircuits(sp.GetService<TimeProvider>() ?? TimeProvider.System));
        builder.AddCredentials();
        builder.AddFilesSource();
        builder.AddGoogleDriveSource();
        builder.AddNotionSource();
        builder.AddSharePointSource();
        return builder;
    }
}
