using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Workplace.ServiceDefaults.ConnectorApi;

namespace Workplace.McpApi.Search;

public static class SearchExtensions
{
    /// <summary>The connectors client, search fan-out, result cache and the connectors readiness check.</summary>
    public static IHostApplicationBuilder AddSearch(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<IConfigureOptions<ConnectorClientOptions>, ConnectorClientOptionsSetup>();
        services.AddSingleton<IValidateOptions<ConnectorClientOptions>, ConnectorClientOptionsValidation>();
        services.AddOptions<ConnectorClientOptions>().ValidateOnStart();
        services.AddOptions<SearchOptions>()
            .BindConfiguration(SearchOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSingleton(sp => new InternalAssertion(sp.GetRequiredService<IOptions<ConnectorClientOptions>>().Value.SigningKey!));
        services.AddHttpClient<ConnectorClient>(http => http.BaseAddress = ConnectorClientOptions.BaseAddress);
        // The readiness probe reports what it sees, within its own deadline: a retry would only hide an outage
        // from the orchestrator.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is the package's way to opt one client out.
        services.AddHttpClient(ConnectorsHealthCheck.HttpClientName).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        // Connectors answers a paused, unconnected, failing or slow source with problem details: its verdict on that
        // source. Sending it again would only delay the answer a user must see at once (a paused source says until
        // when), and counting it against connectors' circuit would cut off every other source too.
        services.PostConfigureAll<HttpStandardResilienceOptions>(resilience =>
        {
            var retry = resilience.Retry.ShouldHandle;
            resilience.Retry.ShouldHandle = args => ConnectorClient.IsSourceVerdict(args.Outcome.Result) ? ValueTask.FromResult(false) : retry(args);
            var breaker = resilience.CircuitBreaker.ShouldHandle;
            resilience.CircuitBreaker.ShouldHandle = args => ConnectorClient.IsSourceVerdict(args.Outcome.Result) ? ValueTask.FromResult(false) : breaker(args);
        });
        services.AddSearchCache();
        services.AddTransient<SearchService>();
        services.AddSingleton<SearchCursor>();
        services.AddSingleton<SourceFaultLog>();

        services.AddHealthChecks().AddCheck<ConnectorsHealthCheck>("connectors", tags: ["ready"]);
        return builder;
    }

    /// <summary>The search answer cache on HybridCache; its L2, when Redis is configured, comes from <c>AddCaching</c>.</summary>
    public static IServiceCollection AddSearchCache(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        // An include_content answer holds up to Search:MaxContentChars (at most 1 000 000 characters), which JSON with
        // escaped non-ASCII can make 6 MB: above HybridCache's 1 MB default, such answers would never be cached.
        services.AddHybridCache(cache => cache.MaximumPayloadBytes = 8 * 1024 * 1024)
            .AddSerializer<SearchOutcome, SearchOutcomeSerializer>();
        // HybridCache's in-process level, bounded in bytes as HybridCache sizes its entries (SearchOptions.LocalCacheMaxBytes).
        services.AddMemoryCache();
        services.AddOptions<MemoryCacheOptions>().Configure<IOptions<SearchOptions>>((memory, search) => memory.SizeLimit = search.Value.LocalCacheMaxBytes);
        services.TryAddSingleton<SearchMetrics>();
        services.TryAddSingleton<SearchCache>();
        return services;
    }
}
