using StackExchange.Redis;
using Workplace.ServiceDefaults.Logging;

namespace Workplace.Connectors.Credentials;

/// <summary>Subscribes the vault to the grant changes other replicas announce, trying again while Redis cannot be reached.</summary>
public sealed partial class GrantChangeListener(GrantVault vault, TimeProvider time, ILogger<GrantChangeListener> logger) : BackgroundService
{
    private static readonly TimeSpan s_longestWait = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = new OncePerInterval(TimeSpan.FromMinutes(1), time);
        var wait = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                // Once subscribed, the Redis client subscribes again by itself after every reconnect.
                await vault.ListenAsync();
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                if (failures.Occurred(out var suppressed))
                {
                    LogNotListening(logger, e.GetType().Name, suppressed);
                }
            }
            await Task.Delay(wait, time, stoppingToken);
            wait = wait * 2 < s_longestWait ? wait * 2 : s_longestWait;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot hear other replicas' grant changes yet ({Failure}); until then a grant deleted elsewhere may be used here for up to 30 s. Trying again ({Suppressed} more since the last line).")]
    private static partial void LogNotListening(ILogger logger, string failure, int suppressed);
}
