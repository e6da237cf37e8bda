using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Workplace.ServiceDefaults.Telemetry;

namespace Microsoft.Extensions.Hosting;

public static partial class RedisExtensions
{
    /// <summary>The Aspire connection name: <c>ConnectionStrings__cache</c>.</summary>
    public const string ConnectionName = "cache";

    public const string HealthCheckName = "redis";

    private static readonly TimeSpan s_healthTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// When <c>ConnectionStrings__cache</c> is set, Aspire's Redis client, and a readiness check that reports Degraded
    /// rather than Unhealthy: both services keep answering without Redis. Without the connection string nothing is
    /// registered and start-up says once what <paramref name="withoutRedis"/> costs. With Redis, HybridCache's second
    /// level is Redis under the key prefix <paramref name="cacheInstance"/>.
    /// </summary>
    /// <returns>Whether Redis is registered.</returns>
    public static bool AddWorkplaceRedis(this IHostApplicationBuilder builder, string withoutRedis, string cacheInstance)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(ConnectionName)))
        {
            builder.Services.AddHostedService(sp => new InProcessStateWarning(sp.GetRequiredService<ILogger<InProcessStateWarning>>(), withoutRedis));
            return false;
        }

        builder.AddRedisClient(ConnectionName,
            settings =>
            {
                // Connect on first use, not during start-up: a Redis that is down must not delay or fail the start.
                settings.DisableAutoActivation = true;
                // Aspire's check reports Unhealthy, which fails readiness; the same check is registered below as Degraded.
                settings.DisableHealthChecks = true;
                // Aspire's Redis tracing opens a profiling session on every command and drains it on a timer, for spans
                // nobody receives when no telemetry is exported (see AddWorkplaceTelemetry).
                settings.DisableTracing = !TelemetryExtensions.IsExporting(builder.Configuration);
            },
            options =>
            {
                // Aspire's default too, stated because a connection string may say abortConnect=true: start
                // disconnected and keep reconnecting in the background instead of throwing from the first resolution.
                options.AbortOnConnectFail = false;
                // While disconnected, fail commands at once instead of queueing them until the 5 s timeout: every caller
                // has an answer without Redis, and a readiness check must answer within a probe's timeout.
                options.BacklogPolicy = BacklogPolicy.FailFast;
            });

        // Bounded: a Redis that is connected but stops answering reports Degraded after 2 s instead of hanging the probe.
        builder.Services.AddHealthChecks().AddRedis(provider => provider.GetRequiredService<IConnectionMultiplexer>(),
            HealthCheckName, HealthStatus.Degraded, ["ready"], s_healthTimeout);

        // HybridCache's L2 runs its commands on Aspire's multiplexer: one connection, one reconnect loop, one health check.
        builder.Services.AddStackExchangeRedisCache(_ => { });
        builder.Services.AddOptions<RedisCacheOptions>().Configure<IServiceProvider>((options, provider) =>
        {
            options.InstanceName = cacheInstance;
            options.ConnectionMultiplexerFactory = () => Task.FromResult(provider.GetRequiredService<IConnectionMultiplexer>());
        });
        return true;
    }

    private sealed partial class InProcessStateWarning(ILogger<InProcessStateWarning> logger, string withoutRedis) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            LogInProcessState(logger, withoutRedis);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Warning, Message = "ConnectionStrings:cache is not set: {WithoutRedis} Set ConnectionStrings__cache=host:port to share it between instances through Redis.")]
        private static partial void LogInProcessState(ILogger logger, string withoutRedis);
    }
}
