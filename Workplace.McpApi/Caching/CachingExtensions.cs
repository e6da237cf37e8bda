using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;

namespace Workplace.McpApi.Caching;

public static class CachingExtensions
{
    /// <summary>
    /// With Redis (<see cref="RedisExtensions.AddWorkplaceRedis"/>): HybridCache's L2 (behind its in-process L1) and the store
    /// of the rate limits. Without it mcpapi runs on in-process state alone and says so once at start.
    /// </summary>
    public static IHostApplicationBuilder AddCaching(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        if (!builder.AddWorkplaceRedis("search results are cached and rate limits counted in this process only, which is correct for a single instance."))
        {
            return builder;
        }

        // HybridCache's L2 runs its commands on Aspire's multiplexer: one connection, one reconnect loop, one health check.
        services.AddStackExchangeRedisCache(_ => { });
        services.AddOptions<RedisCacheOptions>().Configure<IServiceProvider>((options, provider) =>
        {
            options.InstanceName = "workplace:";
            options.ConnectionMultiplexerFactory = () => Task.FromResult(provider.GetRequiredService<IConnectionMultiplexer>());
        });
        return builder;
    }
}
