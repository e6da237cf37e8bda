using System.Globalization;
using StackExchange.Redis;

namespace Workplace.ServiceDefaults.RateLimiting;

/// <summary>A bucket that refills at <c>TokensPerSecond</c> up to <c>Burst</c> tokens; a request takes one token.</summary>
public sealed record TokenBucket(string Key, double TokensPerSecond, int Burst);

/// <summary>
/// The answer for one request charged to one or more buckets. Admitted: the request may go after <see cref="Wait"/>
/// (zero: at once), its token is already taken. Refused: nothing was charged, and <see cref="Wait"/> is how long until
/// a token is free in <see cref="Limiting"/>, the index of the emptiest bucket.
/// </summary>
public readonly record struct TokenBucketDecision(bool Admitted, TimeSpan Wait, int? Limiting);

/// <summary>
/// Token buckets whose requests may queue: a request finding a bucket empty reserves the next token when it comes no
/// later than <c>maxWait</c> from now (the bucket goes below zero), and is refused otherwise. With a <c>maxWait</c> of
/// zero this is a plain token bucket. Every bucket of a request is charged, or none.
/// </summary>
public static class TokenBuckets
{
    // KEYS: the buckets. ARGV: max wait ms, tokens wanted, then tokens/s and burst of each bucket in KEYS order.
    // Returns {granted, wait ms, 0} when admitted: every bucket charged `granted` tokens, as many as wanted and the
    // emptiest bucket holds, or 1 reserved ahead when the request queues for `wait`; else {0, retry-after ms, index of the
    // limiting bucket (1-based)}. Redis's clock, so replicas with skewed clocks share one bucket correctly.
    private const string Script = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local max_wait, granted = tonumber(ARGV[1]), tonumber(ARGV[2])
        local levels = {}
        local wait, limiting = 0, 0
        for i, key in ipairs(KEYS) do
          local rate, burst = tonumber(ARGV[2 * i + 1]), tonumber(ARGV[2 * i + 2])
          local v = redis.call('HMGET', key, 'tokens', 'at')
          local tokens, at = tonumber(v[1]), tonumber(v[2])
          local level = burst
          if tokens ~= nil and at ~= nil then level = math.min(burst, tokens + math.max(0, now - at) * rate / 1000) end
          levels[i] = level
          if level < 1 then
            local w = math.ceil((1 - level) * 1000 / rate)
            if w > wait then wait, limiting = w, i end
          end
          granted = math.min(granted, math.floor(level))
        end
        if wait > max_wait then return {0, wait, limiting} end
        if wait > 0 then granted = 1 end
        for i, key in ipairs(KEYS) do
          local rate, burst = tonumber(ARGV[2 * i + 1]), tonumber(ARGV[2 * i + 2])
          redis.call('HSET', key, 'tokens', tostring(levels[i] - granted), 'at', now)
          redis.call('PEXPIRE', key, math.ceil((burst + 1) * 1000 / rate + max_wait) + 1000)
        end
        return {granted, wait, 0}
        """;

    /// <summary>
    /// Takes up to <paramref name="wanted"/> tokens from every bucket at once, in Redis, atomically: as many as the
    /// emptiest bucket holds. Granted is at least 1, or 0 with the wait for one token and the limiting bucket.
    /// </summary>
    /// <exception cref="RedisException">Redis did not run the script.</exception>
    public static async Task<(int Granted, TokenBucketDecision Decision)> LeaseAsync(IDatabaseAsync database, IReadOnlyList<TokenBucket> buckets, int wanted)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(buckets);
        ArgumentOutOfRangeException.ThrowIfLessThan(wanted, 1);
        var (keys, arguments) = Arguments(buckets, TimeSpan.Zero, wanted);
        var result = (RedisResult[])(await database.ScriptEvaluateAsync(Script, keys, arguments).ConfigureAwait(false))!;
        var granted = (int)(long)result[0];
        return granted > 0
            ? (granted, new TokenBucketDecision(true, TimeSpan.Zero, null))
            : (0, new TokenBucketDecision(false, TimeSpan.FromMilliseconds((long)result[1]), (int)(long)result[2] - 1));
    }

    private static (RedisKey[] Keys, RedisValue[] Arguments) Arguments(IReadOnlyList<TokenBucket> buckets, TimeSpan maxWait, int wanted)
    {
        var keys = new RedisKey[buckets.Count];
        var arguments = new RedisValue[2 + 2 * buckets.Count];
        arguments[0] = (long)maxWait.TotalMilliseconds;
        arguments[1] = wanted;
        for (var i = 0; i < buckets.Count; i++)
        {
            keys[i] = buckets[i].Key;
            arguments[2 + 2 * i] = buckets[i].TokensPerSecond.ToString("R", CultureInfo.InvariantCulture);
            arguments[3 + 2 * i] = buckets[i].Burst;
        }
        return (keys, arguments);
    }

    /// <summary>Charges <paramref name="buckets"/> in Redis, atomically, in one round trip.</summary>
    /// <exception cref="RedisException">Redis did not run the script.</exception>
    public static async Task<TokenBucketDecision> AcquireAsync(IDatabaseAsync database, IReadOnlyList<TokenBucket> buckets, TimeSpan maxWait)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(buckets);
        var (keys, arguments) = Arguments(buckets, maxWait, 1);
        var result = (RedisResult[])(await database.ScriptEvaluateAsync(Script, keys, arguments).ConfigureAwait(false))!;
        var wait = TimeSpan.FromMilliseconds((long)result[1]);
        return (long)result[0] >= 1 ? new TokenBucketDecision(true, wait, null) : new TokenBucketDecision(false, wait, (int)(long)result[2] - 1);
    }
}

/// <summary>
/// The same buckets as <see cref="TokenBuckets"/>, held in this process (for when Redis is not configured or not
/// answering), on <see cref="TimeProvider"/>. Thread-safe. A bucket that has refilled is forgotten, so buckets per user
/// do not pile up.
/// </summary>
public sealed class LocalTokenBuckets(TimeProvider timeProvider)
{
    private static readonly TimeSpan s_sweepInterval = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Level> _levels = new(StringComparer.Ordinal);
    private long _sweptAt = timeProvider.GetTimestamp();

    public TokenBucketDecision Acquire(IReadOnlyList<TokenBucket> buckets, TimeSpan maxWait)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        lock (_gate)
        {
            var now = timeProvider.GetTimestamp();
            SweepFull(now);
            var levels = new double[buckets.Count];
            var wait = TimeSpan.Zero;
            int? limiting = null;
            for (var i = 0; i < buckets.Count; i++)
            {
                var bucket = buckets[i];
                levels[i] = _levels.TryGetValue(bucket.Key, out var saved) ? saved.At(now, timeProvider) : bucket.Burst;
                if (levels[i] < 1)
                {
                    var until = TimeSpan.FromMilliseconds(Math.Ceiling((1 - levels[i]) * 1000 / bucket.TokensPerSecond));
                    if (until > wait)
                    {
                        (wait, limiting) = (until, i);
                    }
                }
            }
            if (wait > maxWait)
            {
                return new TokenBucketDecision(false, wait, limiting);
            }
            for (var i = 0; i < buckets.Count; i++)
            {
                _levels[buckets[i].Key] = new Level(levels[i] - 1, now, buckets[i].TokensPerSecond, buckets[i].Burst);
            }
            return new TokenBucketDecision(true, wait, null);
        }
    }

    private void SweepFull(long now)
    {
        if (timeProvider.GetElapsedTime(_sweptAt, now) < s_sweepInterval)
        {
            return;
        }
        _sweptAt = now;
        foreach (var (key, level) in _levels)
        {
            if (level.At(now, timeProvider) >= level.Burst)
            {
                _levels.Remove(key);
            }
        }
    }

    private readonly record struct Level(double Tokens, long Timestamp, double TokensPerSecond, int Burst)
    {
        public double At(long now, TimeProvider time) =>
            Math.Min(Burst, Tokens + time.GetElapsedTime(Timestamp, now).TotalSeconds * TokensPerSecond);
    }
}
