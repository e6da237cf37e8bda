namespace Workplace.AppHost;

/// <summary>
/// How a crashed service is restarted: after <see cref="BaseDelay"/>, doubling per recent crash up to
/// <see cref="MaxDelay"/>; after <see cref="MaxCrashes"/> crashes within <see cref="Window"/> it stays down.
/// </summary>
public sealed record RestartPolicy
{
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(15);
    public int MaxCrashes { get; init; } = 5;
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The wait before restart number <paramref name="recentCrashes"/> (1 = the first crash in the window).</summary>
    public TimeSpan DelayFor(int recentCrashes)
    {
        var factor = Math.Pow(2, Math.Clamp(recentCrashes - 1, 0, 30));
        var delay = TimeSpan.FromMilliseconds(BaseDelay.TotalMilliseconds * factor);
        return delay < MaxDelay ? delay : MaxDelay;
    }
}
