using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Workplace.ServiceDefaults.RateLimiting;

namespace Workplace.McpApi.Auth;

/// <summary>The answer for one request: allowed, or which bucket is empty and when it holds a token again.</summary>
public sealed record RateLimitDecision(bool Allowed, TimeSpan RetryAfter, string Limit, string Store)
{
    public static RateLimitDecision Allow(string store) => new(true, TimeSpan.Zero, "", store);
}

/// <summary>
/// Two token buckets per request: the caller's own and one for the whole deployment, charged together or not at all.
/// Kept in Redis so every replica shares them (one script, one round trip, Redis's clock); in process when Redis is not
/// configured or not answering (Workplace.ServiceDefaults' SharedTokenBuckets, which the connectors' provider budgets use too).
/// </summary>
/// <remarks>
/// <para>
/// Local first: a replica takes a lease of several tokens from both Redis buckets in one round trip and hands them out in
/// process, so a busy caller costs a Redis call per lease rather than per request. A lease starts at one token, doubles
/// while the caller uses it up within <see cref="LeaseLifetime"/>, and never exceeds a tenth of the smaller burst.
/// The bound, per user and for the global bucket alike: the buckets in Redis are never overdrawn, whatever the number of
/// replicas, so no replica admits more than the limit; a replica may hold up to that tenth of the burst for at most
/// <see cref="LeaseLifetime"/> without using it, which under-admits a caller spread over replicas by at most that much
/// per replica per lifetime. With the default limits (burst 30) a lease is a single token: exactly today's behaviour.
/// </para>
/// <para>
/// Not RedisRateLimiting: its limiters take one bucket per partition, so a user bucket and the global bucket would be
/// two round trips that cannot be charged atomically (a request refused by the global bucket would still spend the
/// user's token), and a Redis outage fails its acquisitions instead of falling back to per-process limits.
/// </para>
/// </remarks>
public sealed class UserRateLimiter
{
    /// <summary>How long a replica keeps tokens it leased; what it has not handed out by then is dropped.</summary>
    public static readonly TimeSpan LeaseLifetime = TimeSpan.FromSeconds(1);

    // Both keys share the {workplace-rl} hash tag so the two-key script also runs on a Redis Cluster.
    private const string KeyPrefix = "workplace:{workplace-rl}:";

    private static readonly TimeSpan s_sweepInterval = TimeSpan.FromMinutes(1);
    private static readonly RateLimitDecision s_allowedInRedis = RateLimitDecision.Allow(SharedTokenBuckets.RedisStore);
    private static readonly RateLimitDecision s_allowedInMemory = RateLimitDecision.Allow(SharedTokenBuckets.MemoryStore);

    private readonly RateLimitOptions _limits;
    private readonly SharedTokenBuckets _buckets;
    private readonly TokenBucket _global;
    private readonly TimeProvider _time;
    private readonly int _maxLease;
    private readonly ConcurrentDictionary<string, Lease> _leases = new(StringComparer.Ordinal);
    private long _sweptAt;

    public UserRateLimiter(IOptions<AuthOptions> options, ILogger<UserRateLimiter> logger, TimeProvider timeProvider, IConnectionMultiplexer? redis = null)
    {
        _limits = options.Value.RateLimit;
        _buckets = new SharedTokenBuckets("Rate limits", redis, timeProvider, logger);
        _global = new TokenBucket(KeyPrefix + "global", _limits.GlobalRequestsPerSecond, _limits.GlobalBurst);
        _time = timeProvider;
        _maxLease = Math.Max(1, Math.Min(_limits.UserBurst, _limits.GlobalBurst) / 10);
        _sweptAt = timeProvider.GetTimestamp();
    }

    public async ValueTask<RateLimitDecision> AcquireAsync(string userKey)
    {
        var lease = _leases.GetOrAdd(userKey, static _ => new Lease());
        while (true)
        {
            TaskCompletionSource<RateLimitDecision>? refilling = null;
            Task<RateLimitDecision> refill;
            lock (lease.Gate)
            {
                var now = _time.GetTimestamp();
                if (lease.Remaining > 0 && now < lease.ExpiresAt)
                {
                    lease.Remaining--;
                    return lease.Allowed;
                }
                // One refill per user at a time: the callers that find the lease empty meanwhile wait for it.
                if (lease.Refill is null)
                {
                    refilling = lease.Refill = new TaskCompletionSource<RateLimitDecision>(TaskCreationOptions.RunContinuationsAsynchronously);
                }
                refill = lease.Refill.Task;
            }
            if (refilling is not null)
            {
                await RefillAsync(userKey, lease, refilling);
            }
            if (await refill is { Allowed: false } refused)
            {
                return refused;
            }
        }
    }

    private async Task RefillAsync(string userKey, Lease lease, TaskCompletionSource<RateLimitDecision> refilling)
    {
        try
        {
            int wanted;
            lock (lease.Gate)
            {
                // Used up while still valid: the caller is busy, lease more. Expired unused: start small again.
                wanted = lease.Remaining == 0 && _time.GetTimestamp() < lease.ExpiresAt ? Math.Min(_maxLease, lease.Size * 2) : 1;
            }
            var user = new TokenBucket(KeyPrefix + "user:" + userKey, _limits.UserRequestsPerMinute / 60, _limits.UserBurst);
            var (granted, decision, store) = await _buckets.LeaseAsync([user, _global], wanted);
            var outcome = granted > 0
                ? store == SharedTokenBuckets.RedisStore ? s_allowedInRedis : s_allowedInMemory
                : new RateLimitDecision(false, decision.Wait, decision.Limiting == 0 ? "user" : "global", store);
            lock (lease.Gate)
            {
                if (granted > 0)
                {
                    (lease.Remaining, lease.Size, lease.Allowed) = (granted, granted, outcome);
                    lease.ExpiresAt = _time.GetTimestamp() + (long)(LeaseLifetime.TotalSeconds * _time.TimestampFrequency);
                }
                lease.Refill = null;
            }
            refilling.SetResult(outcome);
        }
        catch (Exception e)
        {
            lock (lease.Gate)
            {
                lease.Refill = null;
            }
            refilling.SetException(e);
        }
        Sweep();
    }

    // Leases of callers gone quiet are dropped, so one entry per user ever seen does not pile up.
    private void Sweep()
    {
        var now = _time.GetTimestamp();
        var swept = Interlocked.Read(ref _sweptAt);
        if (_time.GetElapsedTime(swept, now) < s_sweepInterval || Interlocked.CompareExchange(ref _sweptAt, now, swept) != swept)
        {
            return;
        }
        foreach (var (key, lease) in _leases)
        {
            lock (lease.Gate)
            {
                if (lease.Refill is null && now >= lease.ExpiresAt)
                {
                    _leases.TryRemove(key, out _);
                }
            }
        }
    }

    private sealed class Lease
    {
        public Lock Gate { get; } = new();

        public int Remaining { get; set; }

        public long ExpiresAt { get; set; }

        public int Size { get; set; } = 1;

        public RateLimitDecision Allowed { get; set; } = s_allowedInRedis;

        public TaskCompletionSource<RateLimitDecision>? Refill { get; set; }
    }
}
