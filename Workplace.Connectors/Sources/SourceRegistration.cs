using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
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
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<DocumentCacheOptions>().BindConfiguration(DocumentCacheOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // HybridCache's memory level, in bytes as HybridCache sizes its entries: documents are large, so it is bounded.
        builder.Services.AddMemoryCache();
        builder.Services.AddOptions<MemoryCacheOptions>().Configure<IOptions<DocumentCacheOptions>>((memory, documents) => memory.SizeLimit = documents.Value.LocalMaxBytes);
        // A converted document of up to DocumentCache:MaxChars (at most 4 000 000 characters) is up to 3 bytes a
        // character in UTF-8: above HybridCache's 1 MB default, long documents would never be cached.
        builder.Services.AddHybridCache(cache => cache.MaximumPayloadBytes = 12 * 1024 * 1024);
        builder.Services.TryAddSingleton<DocumentCache>();
        builder.AddCredentials();
        builder.AddFilesSource();
        builder.AddGoogleDriveSource();
        builder.AddNotionSource();
        builder.AddSharePointSource();
        return builder;
    }
}
