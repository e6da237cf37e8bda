using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

public static partial class ConnectorsRedis
{
    /// <summary>The Aspire connection name: <c>ConnectionStrings__cache</c>.</summary>
    public const string ConnectionName = "cache";

    /// <summary>
    /// When <c>ConnectionStrings__cache</c> is set, Aspire's Redis client: the store of users' grants, the refresh locks
    /// and the DataProtection key ring, shared by replicas and kept across restarts. Without it grants live in this
    /// process only and are lost on restart, which start-up says once.
    /// </summary>
    public static IHostApplicationBuilder AddConnectorsRedis(this IHostApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(ConnectionName)))
        {
            builder.Services.AddHostedService<InProcessGrantsWarning>();
            return builder;
        }
        builder.AddRedisClient(ConnectionName,
            settings =>
            {
                // Connect on first use: a Redis that is down must not delay the start; its calls fail and say so instead.
                settings.DisableAutoActivation = true;
                // Aspire's check reports Unhealthy; without Redis the files source still answers, so it is Degraded below.
                settings.DisableHealthChecks = true;
            },
            options => options.AbortOnConnectFail = false);
        builder.Services.AddHealthChecks().AddRedis(provider => provider.GetRequiredService<IConnectionMultiplexer>(),
            "redis", HealthStatus.Degraded, ["ready"], TimeSpan.FromSeconds(2));
        return builder;
    }

    private sealed partial class InProcessGrantsWarning(ILogger<InProcessGrantsWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            LogInProcessGrants(logger);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Warning, Message = "ConnectionStrings:cache is not set: users' provider grants are kept in this process only and are lost when it restarts; every user connects again. Set ConnectionStrings__cache=host:port to keep them in Redis, shared by every instance.")]
        private static partial void LogInProcessGrants(ILogger logger);
    }
}
