using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Workplace.ServiceDefaults.Caching;

public static partial class RedisCacheExtensions
{
    public const string ConnectionName = "cache";

    private static readonly TimeSpan s_healthTimeout = TimeSpan.FromSeconds(5);

    // Registers IDistributedCache: Redis from ConnectionStrings:cache, else an in-process cache (one instance only).
    // IConnectionMultiplexer is registered only when Redis is configured; features that need Redis commands
    // (scripts, counters) take it as optional and fall back to in-process state.
    public static IHostApplicationBuilder AddRedisCache(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            builder.Services.AddDistributedMemoryCache();
            builder.Services.AddHostedService<InProcessCacheWarning>();
            return builder;
        }

        var options = ConfigurationOptions.Parse(connectionString);
        // Start even when Redis is down; the connection heals itself and /health reports the outage.
        options.AbortOnConnectFail = false;
        builder.Services.TryAddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
        builder.Services.TryAddSingleton<IDistributedCache, RedisDistributedCache>();
        // Bounded: a Redis that accepts connections but never answers must not hang the readiness probe.
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", failureStatus: null, tags: ["ready"], timeout: s_healthTimeout);
        return builder;
    }

    private sealed partial class InProcessCacheWarning(ILogger<InProcessCacheWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            LogInProcessCache(logger);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Warning, Message = "ConnectionStrings:cache is not set: using an in-process cache, which is correct for a single instance only. Set ConnectionStrings__cache=host:port to share state through Redis.")]
        private static partial void LogInProcessCache(ILogger logger);
    }

    private sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var latency = await redis.GetDatabase().PingAsync().WaitAsync(cancellationToken);
                return HealthCheckResult.Healthy($"PING {latency.TotalMilliseconds:0.#} ms");
            }
            catch (RedisException e)
            {
                return HealthCheckResult.Unhealthy("Redis does not answer PING.", e);
            }
            catch (TimeoutException e)
            {
                // RedisTimeoutException derives from TimeoutException, not RedisException.
                return HealthCheckResult.Unhealthy("Redis did not answer PING in time.", e);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return HealthCheckResult.Unhealthy($"Redis did not answer PING within {s_healthTimeout.TotalSeconds:0} s.");
            }
        }
    }
}

/// <summary>IDistributedCache on StackExchange.Redis 1.2.6 (Microsoft's Redis cache package needs 2.x, absent here).</summary>
public sealed class RedisDistributedCache(IConnectionMultiplexer redis) : IDistributedCache
{
    private const string KeyPrefix = "workplace:cache:";

    public byte[]? Get(string key) => redis.GetDatabase().StringGet(KeyPrefix + key);

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default) =>
        await redis.GetDatabase().StringGetAsync(KeyPrefix + key);

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) =>
        redis.GetDatabase().StringSet(KeyPrefix + key, value, Expiry(options));

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        redis.GetDatabase().StringSetAsync(KeyPrefix + key, value, Expiry(options));

    public void Refresh(string key)
    {
    }

    public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

    public void Remove(string key) => redis.GetDatabase().KeyDelete(KeyPrefix + key);

    public Task RemoveAsync(string key, CancellationToken token = default) => redis.GetDatabase().KeyDeleteAsync(KeyPrefix + key);

    // Entries always expire: sliding expiration is not offered (our callers use absolute lifetimes).
    private static TimeSpan Expiry(DistributedCacheEntryOptions options)
    {
        if (options.SlidingExpiration is not null)
        {
            throw new NotSupportedException("RedisDistributedCache supports absolute expiration only.");
        }
        if (options.AbsoluteExpirationRelativeToNow is { } relative)
        {
            return relative;
        }
        if (options.AbsoluteExpiration is { } absolute)
        {
            return absolute - DateTimeOffset.UtcNow;
        }
        throw new NotSupportedException("RedisDistributedCache entries need an absolute expiration.");
    }
}
