using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Workplace.ServiceDefaults.Logging;

namespace Workplace.ServiceDefaults.RateLimiting;

/// <summary>
/// Token buckets shared by every replica through Redis (<see cref="TokenBuckets"/>), and held in this process when Redis
/// is not configured or not answering (<see cref="LocalTokenBuckets"/>): limits keep working per replica rather than
/// failing requests or letting them all through. The fallback is logged once per interval, the recovery once.
/// <c>limits</c> names them in the log: "Rate limits", "Notion request limits".
/// </summary>
public sealed partial class SharedTokenBuckets(string limits, IConnectionMultiplexer? redis, TimeProvider timeProvider, ILogger logger)
{
    public const string RedisStore = "redis";
    public const string MemoryStore = "memory";

    private readonly LocalTokenBuckets _local = new(timeProvider);
    private readonly OncePerInterval _redisDown = new(TimeSpan.FromSeconds(30), timeProvider);

    /// <summary>Charges <paramref name="buckets"/> (see <see cref="TokenBuckets"/>); Store is <see cref="RedisStore"/> or <see cref="MemoryStore"/>.</summary>
    public Task<(TokenBucketDecision Decision, string Store)> AcquireAsync(IReadOnlyList<TokenBucket> buckets, TimeSpan maxWait) =>
        RunAsync(database => TokenBuckets.AcquireAsync(database, buckets, maxWait), () => _local.Acquire(buckets, maxWait));

    /// <summary>
    /// Takes up to <paramref name="wanted"/> tokens of every bucket at once (<see cref="TokenBuckets.LeaseAsync"/>) for the
    /// caller to hand out in process. In process (Redis absent or down) the buckets are local anyway: one token at a time.
    /// </summary>
    public async Task<(int Granted, TokenBucketDecision Decision, string Store)> LeaseAsync(IReadOnlyList<TokenBucket> buckets, int wanted)
    {
        var ((granted, decision), store) = await RunAsync(
            database => TokenBuckets.LeaseAsync(database, buckets, wanted),
            () => _local.Acquire(buckets, TimeSpan.Zero) is var local && local.Admitted ? (1, local) : (0, local)).ConfigureAwait(false);
        return (granted, decision, store);
    }

    private async Task<(T Result, string Store)> RunAsync<T>(Func<IDatabaseAsync, Task<T>> inRedis, Func<T> inProcess)
    {
        if (redis is null)
        {
            return (inProcess(), MemoryStore);
        }
        // A disconnected multiplexer would throw at once: skip the exception, the fallback is the same.
        var failure = redis.IsConnected ? null : "not connected";
        if (failure is null)
        {
            try
            {
                var result = await inRedis(redis.GetDatabase()).ConfigureAwait(false);
                if (_redisDown.Cleared(out var suppressed))
                {
                    LogRedisBack(logger, limits, suppressed);
                }
                return (result, RedisStore);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                failure = $"{e.GetType().Name}: {e.Message}";
            }
        }
        if (_redisDown.Occurred(out var held))
        {
            LogRedisDown(logger, limits, failure, held, _redisDown.Interval.TotalSeconds);
        }
        return (inProcess(), MemoryStore);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Limits} fall back to this process: Redis did not run the token-bucket script ({Failure}). Each replica limits on its own until Redis answers. {Suppressed} more requests limited in process since the last report; the next report comes in {IntervalSeconds} s at the earliest.")]
    private static partial void LogRedisDown(ILogger logger, string limits, string failure, int suppressed, double intervalSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Limits} are shared through Redis again ({Suppressed} requests limited in process since the last report).")]
    private static partial void LogRedisBack(ILogger logger, string limits, int suppressed);
}
