using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Workplace.McpApi.Caching;

public static class CachingExtensions
{
    /// <summary>
    /// With Redis (<see cref="RedisExtensions.AddWorkplaceRedis"/>): HybridCache's L2 (behind its in-process L1) and the store
    /// of the rate limits. Without it mcpapi runs on in-process state alone and says so once at start.
    /// </summary>
    public static IHostApplicationBuilder AddCaching(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.AddWorkplaceRedis("search results are cached and rate limits counted in this process only, which is correct for a single instance.",
            cacheInstance: "workplace:");
        return builder;
    }
}
