using System.Collections.Concurrent;

namespace Workplace.Connectors.Sources.Providers;

/// <summary>
/// Which provider sources are paused because their circuit is open, and until when. Fed by the circuit breaker of
/// every client that <see cref="ProviderResilience.AddProviderResilience"/> set up; read by list_sources.
/// </summary>
/// <remarks>
/// The breaker's own events rather than Polly's CircuitBreakerStateProvider: the state provider says whether the
/// circuit is open but not until when, and it binds to one breaker for good, while the standard handler builds its
/// pipeline again whenever its options reload.
/// </remarks>
public sealed class ProviderCircuits(TimeProvider timeProvider)
{
    // By client name: a source may call its provider through more than one client, each with its own breaker.
    private readonly ConcurrentDictionary<string, (string Source, DateTimeOffset Until)> _open = new(StringComparer.Ordinal);

    /// <summary>When <paramref name="source"/> is tried again, while one of its circuits is open; null when it is not paused.</summary>
    public DateTimeOffset? PausedUntil(string source)
    {
        var now = timeProvider.GetUtcNow();
        DateTimeOffset? until = null;
        foreach (var (_, circuit) in _open)
        {
            if (circuit.Source == source && circuit.Until > now && (until is null || circuit.Until > until))
            {
                until = circuit.Until;
            }
        }
        return until;
    }

    internal void Opened(string source, string client, TimeSpan breakDuration) =>
        _open[client] = (source, timeProvider.GetUtcNow() + breakDuration);

    internal void Closed(string client) => _open.TryRemove(client, out _);
}
