using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Workplace.McpApi.Caching;

public static partial class CachingExtensions
{
    /// <summary>The Aspire connection name: <c>ConnectionStrings__cache</c>.</summary>
    public const string ConnectionName = "cache";

    public const string HealthCheckName = "redis";

    private static readonly TimeSpan s_healthTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// When <c>ConnectionStrings__cache</c> is set, Aspire's Redis client: HybridCache's L2 (behind its in-process L1) and
    /// the store of the rate limits. Without it mcpapi runs on in-process state alone and says so once at start.
    /// </summary>
    public static IHostApplicationBuilder AddCaching(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(ConnectionName)))
        {
            services.AddHostedService<InProcessStateWarning>();
            return builder;
        }

        builder.AddRedisClient(ConnectionName,
            settings =>
            {
                // Connect on first use, not during start-up: a Redis that is down must not delay or fail the start.
                settings.DisableAutoActivation = true;
                // Aspire's check reports Unhealthy, which fails readiness; mcpapi keeps answering without Redis
                // (uncached searches, per-process rate limits), so the same check is registered below as Degraded.
                settings.DisableHealthChecks = true;
            },
            options =>
            {
                // Aspire's default too, stated because a connection string may say abortConnect=true: start
                // disconnected and keep reconnecting in the background instead of throwing from the first resolution.
                options.AbortOnConnectFail = false;
                // While disconnected, fail commands at once instead of queueing them until the 5 s timeout: everything
                // here has an answer without Redis (uncached search, per-process limits, a Degraded readiness check
                // that must answer within a probe's timeout).
                options.BacklogPolicy = BacklogPolicy.FailFast;
            });

        // HybridCache's L2 runs its commands on Aspire's multiplexer: one connection, one reconnect loop, one health check.
        services.AddStackExchangeRedisCache(_ => { });
        services.AddOptions<RedisCacheOptions>().Configure<IServiceProvider>((options, provider) =>
        {
            options.InstanceName = "workplace:";
            options.ConnectionMultiplexerFactory = () => Task.FromResult(provider.GetRequiredService<IConnectionMultiplexer>());
        });

        // Bounded: a Redis that is connected but stops answering reports Degraded after 2 s instead of hanging the probe.
        services.AddHealthChecks().AddRedis(provider => provider.GetRequiredService<IConnectionMultiplexer>(),
            HealthCheckName, HealthStatus.Degraded, ["ready"], s_healthTimeout);
        return builder;
    }

    private sealed partial class InProcessStateWarning(ILogger<InProcessStateWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            LogInProcessState(logger);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Warning, Message = "ConnectionStrings:cache is not set: search results are cached and rate limits counted in this process only, which is correct for a single instance. Set ConnectionStrings__cache=host:port to share them between instances through Redis.")]
        private static partial void LogInProcessState(ILogger logger);
    }
}
