namespace Workplace.Emulators.Faults;

/// <summary>The faults injected per provider, taken one request at a time. Thread-safe: tests inject while load runs.</summary>
public sealed class FaultRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<Entry>> _byProvider = new(StringComparer.Ordinal);

    public void Add(string provider, Fault fault)
    {
        lock (_lock)
        {
            (_byProvider.TryGetValue(provider, out var list) ? list : _byProvider[provider] = []).Add(new Entry(fault, fault.Count));
        }
    }

    public void Clear(string provider)
    {
        lock (_lock)
        {
            _byProvider.Remove(provider);
        }
    }

    /// <summary>The fault that applies to this request of <paramref name="user"/>, counted as used; null: answer normally.</summary>
    public Fault? Take(string provider, string? user)
    {
        lock (_lock)
        {
            if (!_byProvider.TryGetValue(provider, out var list))
            {
                return null;
            }
            var entry = list.FirstOrDefault(e => e.Fault.User is null || string.Equals(e.Fault.User, user, StringComparison.Ordinal));
            if (entry is null)
            {
                return null;
            }
            if (entry.Remaining is { } remaining && --entry.Remaining <= 0)
            {
                list.Remove(entry);
            }
            return entry.Fault;
        }
    }

    /// <summary>Whether a lasting fault of <paramref name="kind"/> is set for <paramref name="user"/>, without using it up.</summary>
    public bool Has(string provider, FaultKind kind, string? user)
    {
        lock (_lock)
        {
            return _byProvider.TryGetValue(provider, out var list)
                && list.Any(e => e.Fault.Kind == kind && (e.Fault.User is null || string.Equals(e.Fault.User, user, StringComparison.Ordinal)));
        }
    }

    private sealed class Entry(Fault fault, int? remaining)
    {
        public Fault Fault { get; } = fault;

        public int? Remaining { get; set; } = remaining;
    }
}
