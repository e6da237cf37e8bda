namespace Workplace.Emulators.Faults;

/// <summary>
/// The faults injected per provider, taken one request at a time, and each provider's own rate limit when one is set
/// (<see cref="Quota"/>). Thread-safe: tests inject while load runs.
/// </summary>
public sealed class FaultRegistry(TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<Entry>> _byProvider = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QuotaBucket> _quotas = new(StringComparer.Ordinal);

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

    /// <summary>Enforces <paramref name="quota"/> on every request to <paramref name="provider"/> from now on, its counts from zero.</summary>
    public void SetQuota(string provider, Quota quota)
    {
        lock (_lock)
        {
            _quotas[provider] = new QuotaBucket(quota, quota.Burst, time.GetUtcNow());
        }
    }

    public void ClearQuota(string provider)
    {
        lock (_lock)
        {
            _quotas.Remove(provider);
        }
    }

    /// <summary>How many requests the quota of <paramref name="provider"/> let through and refused; null when none is set.</summary>
    public QuotaStats? QuotaOf(string provider)
    {
        lock (_lock)
        {
            return _quotas.TryGetValue(provider, out var bucket) ? new QuotaStats(bucket.Admitted, bucket.Refused) : null;
        }
    }

    /// <summary>
    /// The fault that applies to this request of <paramref name="user"/>, counted as used; else, past the provider's
    /// quota, its 429; null: answer normally.
    /// </summary>
    public Fault? Take(string provider, string? user)
    {
        lock (_lock)
        {
            var entry = _byProvider.TryGetValue(provider, out var list)
                ? list.FirstOrDefault(e => e.Fault.User is null || string.Equals(e.Fault.User, user, StringComparison.Ordinal))
                : null;
            if (entry is null)
            {
                return _quotas.TryGetValue(provider, out var bucket) ? bucket.Take(time.GetUtcNow()) : null;
            }
            if (entry.Remaining is { } remaining && --entry.Remaining <= 0)
            {
                list!.Remove(entry);
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

    /// <summary>A token bucket: <see cref="Quota.Burst"/> requests at once, refilled at <see cref="Quota.RequestsPerSecond"/>.</summary>
    private sealed class QuotaBucket(Quota quota, double tokens, DateTimeOffset at)
    {
        public long Admitted { get; private set; }

        public long Refused { get; private set; }

        public Fault? Take(DateTimeOffset now)
        {
            tokens = Math.Min(quota.Burst, tokens + ((now - at).TotalSeconds * quota.RequestsPerSecond));
            at = now;
            if (tokens >= 1)
            {
                tokens--;
                Admitted++;
                return null;
            }
            Refused++;
            return new Fault(FaultKind.RateLimited, RetryAfterSeconds: (int)Math.Ceiling((1 - tokens) / quota.RequestsPerSecond));
        }
    }
}
