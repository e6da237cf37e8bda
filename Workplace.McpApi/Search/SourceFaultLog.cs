using System.Collections.Concurrent;
using Workplace.ServiceDefaults.Logging;

namespace Workplace.McpApi.Search;

/// <summary>
/// A source's failures, logged once per interval per source with the count held back, and its recovery once: while a
/// source is down every search fails the same way, and a line per search would bury everything else.
/// </summary>
public sealed partial class SourceFaultLog(TimeProvider timeProvider, ILogger<SourceFaultLog> logger)
{
    private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, OncePerInterval> _bySource = new(StringComparer.Ordinal);

    public void TimedOut(string source, TimeSpan deadline)
    {
        if (Fault(source).Occurred(out var held))
        {
            LogTimedOut(logger, source, deadline.TotalMilliseconds, held, s_interval.TotalSeconds);
        }
    }

    public void Failed(string source, Exception exception)
    {
        if (Fault(source).Occurred(out var held))
        {
            LogFailed(logger, source, exception.GetType().Name, exception.Message, held, s_interval.TotalSeconds);
        }
    }

    public void Answered(string source)
    {
        if (_bySource.TryGetValue(source, out var fault) && fault.Cleared(out var held))
        {
            LogRecovered(logger, source, held);
        }
    }

    private OncePerInterval Fault(string source) => _bySource.GetOrAdd(source, _ => new OncePerInterval(s_interval, timeProvider));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Search in {Source} gave up after {TimeoutMs} ms. {Held} more failed searches in it since the last report; the next report comes in {IntervalSeconds} s at the earliest.")]
    private static partial void LogTimedOut(ILogger logger, string source, double timeoutMs, int held, double intervalSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Search in {Source} failed: {ErrorType}: {ErrorMessage}. {Held} more failed searches in it since the last report; the next report comes in {IntervalSeconds} s at the earliest.")]
    private static partial void LogFailed(ILogger logger, string source, string errorType, string errorMessage, int held, double intervalSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Search in {Source} answers again ({Held} failed searches since the last report).")]
    private static partial void LogRecovered(ILogger logger, string source, int held);
}
