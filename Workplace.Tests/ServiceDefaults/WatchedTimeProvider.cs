using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace Workplace.Tests.ServiceDefaults;

/// <summary>
/// A FakeTimeProvider that also says which timers were created: a retry's wait is a timer due after the delay, so
/// a test can see the wait was scheduled, and how long it is, before it moves time.
/// </summary>
public sealed class WatchedTimeProvider : FakeTimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _dueTimes = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        _dueTimes.Enqueue(dueTime);
        return base.CreateTimer(callback, state, dueTime, period);
    }

    public bool HasTimerDueIn(TimeSpan dueTime) => _dueTimes.Contains(dueTime);

    /// <summary>The due time of every timer created so far, in order.</summary>
    public TimeSpan[] DueTimes => [.. _dueTimes];
}
