namespace Workplace.ServiceDefaults.Logging;

/// <summary>
/// Lets a fault that repeats on every request (Redis down under load) be logged once per interval, with the count of
/// occurrences held back since the previous line, instead of one line per request. Thread-safe; one instance per fault.
/// </summary>
public sealed class OncePerInterval(TimeSpan interval, TimeProvider timeProvider)
{
    private readonly Lock _gate = new();
    private long _loggedAt;
    private bool _ongoing;
    private int _suppressed;

    public TimeSpan Interval { get; } = interval > TimeSpan.Zero
        ? interval
        : throw new ArgumentOutOfRangeException(nameof(interval), interval, "The interval must be positive.");

    /// <summary>
    /// Records one occurrence. True when the caller logs it now: the first occurrence, or the first one an interval
    /// after the previous line; <paramref name="suppressed"/> is how many occurrences were held back since that line.
    /// </summary>
    public bool Occurred(out int suppressed)
    {
        lock (_gate)
        {
            var now = timeProvider.GetTimestamp();
            if (_ongoing && timeProvider.GetElapsedTime(_loggedAt, now) < Interval)
            {
                _suppressed++;
                suppressed = 0;
                return false;
            }
            suppressed = _suppressed;
            _suppressed = 0;
            _loggedAt = now;
            _ongoing = true;
            return true;
        }
    }

    /// <summary>
    /// The fault is over. True once, on the first call after occurrences, so the recovery is logged once;
    /// <paramref name="suppressed"/> is how many occurrences were held back since the last line.
    /// </summary>
    public bool Cleared(out int suppressed)
    {
        suppressed = 0;
        if (!Volatile.Read(ref _ongoing))
        {
            return false;
        }
        lock (_gate)
        {
            if (!_ongoing)
            {
                return false;
            }
            suppressed = _suppressed;
            _suppressed = 0;
            _ongoing = false;
            return true;
        }
    }
}
