using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Workplace.AppHost.Restarts;

internal sealed partial class CrashRestarter(
    CrashRestartPolicy policy,
    ResourceNotificationService notifications,
    ResourceCommandService commands,
    ILogger<CrashRestarter> logger,
    TimeProvider time) : BackgroundService
{
    private readonly Dictionary<string, List<DateTimeOffset>> _crashes = [];
    private readonly HashSet<(string, DateTime)> _seenExits = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(stoppingToken))
            {
                if (IsNewCrash(update) && update.Snapshot.ExitCode is { } exitCode)
                {
                    // Not awaited: one service's backoff must not hold up watching the others.
                    _ = RestartAsync(update.ResourceId, update.Resource.Name, exitCode, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    // The same exit is reported by several snapshots (state, then properties): it counts once, by its stop time.
    private bool IsNewCrash(ResourceEvent update) =>
        policy.Services.Contains(update.Resource.Name)
        && update.Snapshot.State?.Text is { } state && (state == KnownResourceStates.Finished || state == KnownResourceStates.Exited)
        && update.Snapshot.ExitCode is { } code && code != 0
        && update.Snapshot.StopTimeStamp is { } stopped
        && _seenExits.Add((update.ResourceId, stopped));

    private async Task RestartAsync(string resourceId, string name, int exitCode, CancellationToken stoppingToken)
    {
        var now = time.GetUtcNow();
        int crashes;
        lock (_crashes)
        {
            var recent = _crashes.TryGetValue(resourceId, out var list) ? list : _crashes[resourceId] = [];
            recent.RemoveAll(at => now - at > policy.Window);
            recent.Add(now);
            crashes = recent.Count;
        }
        if (crashes >= policy.MaxCrashes)
        {
            LogGivingUp(logger, name, exitCode, crashes, policy.Window);
            return;
        }
        var delay = TimeSpan.FromTicks(Math.Min(policy.MaxDelay.Ticks, policy.BaseDelay.Ticks << Math.Min(crashes - 1, 16)));
        LogRestarting(logger, name, exitCode, (long)delay.TotalMilliseconds);
        try
        {
            await Task.Delay(delay, time, stoppingToken);
            var result = await commands.ExecuteCommandAsync(resourceId, KnownResourceCommands.StartCommand, stoppingToken);
            if (!result.Success)
            {
                LogRestartFailed(logger, name, result.Message ?? "no reason given");
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Service} exited unexpectedly (exit code {ExitCode}); restarting it in {DelayMs} ms.")]
    private static partial void LogRestarting(ILogger logger, string service, int exitCode, long delayMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Service} exited unexpectedly (exit code {ExitCode}), {Crashes} times within {Window}: not restarting it. Its console log in the dashboard says why; its Start command brings it back.")]
    private static partial void LogGivingUp(ILogger logger, string service, int exitCode, int crashes, TimeSpan window);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Service} could not be restarted: {Reason}.")]
    private static partial void LogRestartFailed(ILogger logger, string service, string reason);
}
