using Microsoft.Extensions.Time.Testing;
using Workplace.ServiceDefaults.Logging;

namespace Workplace.Tests.Logging;

public sealed class OncePerIntervalTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void The_first_occurrence_is_logged_and_repeats_within_the_interval_are_counted_not_logged()
    {
        var gate = new OncePerInterval(TimeSpan.FromSeconds(30), _time);

        Assert.True(gate.Occurred(out var first));
        var logged = Enumerable.Range(0, 7_000).Count(_ =>
        {
            _time.Advance(TimeSpan.FromMilliseconds(1));
            return gate.Occurred(out _);
        });

        Assert.Equal(0, first);
        Assert.Equal(0, logged);
    }

    [Fact]
    public void After_the_interval_the_next_occurrence_is_logged_with_the_count_held_back()
    {
        var gate = new OncePerInterval(TimeSpan.FromSeconds(30), _time);
        gate.Occurred(out _);
        for (var i = 0; i < 41; i++)
        {
            gate.Occurred(out _);
        }

        _time.Advance(TimeSpan.FromSeconds(29.999));
        Assert.False(gate.Occurred(out _));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(gate.Occurred(out var suppressed));

        Assert.Equal(42, suppressed);
    }

    [Fact]
    public void Clearing_reports_the_recovery_once_with_what_was_held_back_and_the_next_fault_is_logged_at_once()
    {
        var gate = new OncePerInterval(TimeSpan.FromSeconds(30), _time);
        Assert.False(gate.Cleared(out _));
        gate.Occurred(out _);
        gate.Occurred(out _);
        gate.Occurred(out _);

        Assert.True(gate.Cleared(out var heldBack));
        Assert.False(gate.Cleared(out _));
        Assert.Equal(2, heldBack);
        // A new outage right after the recovery is news: it is not held back by the previous line's interval.
        Assert.True(gate.Occurred(out var suppressed));
        Assert.Equal(0, suppressed);
    }

    [Fact]
    public async Task Concurrent_occurrences_log_exactly_once_per_interval()
    {
        var gate = new OncePerInterval(TimeSpan.FromSeconds(30), _time);
        var logged = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 1_000; i++)
            {
                if (gate.Occurred(out _))
                {
                    Interlocked.Increment(ref logged);
                }
            }
        })));
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(gate.Occurred(out var suppressed));

        Assert.Equal(1, logged);
        Assert.Equal(7_999, suppressed);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_non_positive_interval_is_refused(int seconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new OncePerInterval(TimeSpan.FromSeconds(seconds), _time));
}
