using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Workplace.ServiceDefaults.Logging;

namespace Workplace.McpApi.Auth;

/// <summary>The answer for one request: allowed, or which bucket is empty and when it holds a token again.</summary>
public sealed record RateLimitDecision(bool Allowed, TimeSpan RetryAfter, string Limit, string Store)
{
    public static RateLimitDecision Allow(string store) => new(true, TimeSpan.Zero, "", store);
}

/// <summary>
/// Two token buckets per request: the caller's own and one for the whole deployment. Kept in Redis so every replica
/// shares them (one Lua script, one round trip, Redis's clock); in process when Redis is not configured or not answering.
/// </summary>
/// <remarks>
/// Not RedisRateLimiting: its limiters take one bucket per partition, so a user bucket and the global bucket would be
/// two round trips that cannot be charged atomically (a request refused by the global bucket would still spend the
/// user's token), and a Redis outage fails its acquisitions instead of falling back to per-process limits.
/// </remarks>
public sealed partial class UserRateLimiter : IDisposable
{
    // Both keys share the {workplace-rl} hash tag so the two-key script also runs on a Redis Cluster.
    private const string KeyPrefix = "workplace:{workplace-rl}:";

    // KEYS: user bucket, global bucket. ARGV: user tokens/s, user burst, global tokens/s, global burst.
    // Returns {1, 0, 0} when both buckets had a token (both are charged), else {0, retry-after ms, 1 user | 2 global}.
    private const string Script = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local function level(key, rate, burst)
          local v = redis.call('HMGET', key, 'tokens', 'at')
          local tokens, at = tonumber(v[1]), tonumber(v[2])
          if tokens == nil or at == nil then return burst end
          return math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
        end
        local function save(key, tokens, rate, burst)
          redis.call('HSET', key, 'tokens', tostring(tokens), 'at', now)
          redis.call('PEXPIRE', key, math.ceil(burst * 1000 / rate) + 1000)
        end
        local ur, ub, gr, gb = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
        local u = level(KEYS[1], ur, ub)
        if u < 1 then return {0, math.ceil((1 - u) * 1000 / ur), 1} end
        local g = level(KEYS[2], gr, gb)
        if g < 1 then return {0, math.ceil((1 - g) * 1000 / gr), 2} end
        save(KEYS[1], u - 1, ur, ub)
        save(KEYS[2], g - 1, gr, gb)
        return {1, 0, 0}
        """;

    private readonly RateLimitOptions _limits;
    private readonly IConnectionMultiplexer? _redis;
    private readonly ILogger<UserRateLimiter> _logger;
    private readonly PartitionedRateLimiter<string> _users;
    private readonly TokenBucketRateLimiter _global;
    private readonly RedisValue[] _arguments;
    private readonly OncePerInterval _redisDown;

    public UserRateLimiter(IOptions<AuthOptions> options, ILogger<UserRateLimiter> logger, TimeProvider timeProvider, IConnectionMultiplexer? redis = null)
    {
        _limits = options.Value.RateLimit;
        _redis = redis;
        _logger = logger;
        _redisDown = new OncePerInterval(TimeSpan.FromSeconds(30), timeProvider);
        var userPerSecond = _limits.UserRequestsPerMinute / 60;
        _users = PartitionedRateLimiter.Create<string, string>(user =>
            RateLimitPartition.GetTokenBucketLimiter(user, _ => Bucket(userPerSecond, _limits.UserBurst)));
        _global = new TokenBucketRateLimiter(Bucket(_limits.GlobalRequestsPerSecond, _limits.GlobalBurst));
        _arguments =
        [
            userPerSecond.ToString(CultureInfo.InvariantCulture), _limits.UserBurst,
            _limits.GlobalRequestsPerSecond.ToString(CultureInfo.InvariantCulture), _limits.GlobalBurst,
        ];
    }

    public async Task<RateLimitDecision> AcquireAsync(string userKey)
    {
        if (_redis is null)
        {
            return AcquireInProcess(userKey);
        }
        // A disconnected multiplexer would throw at once: skip the exception, the fallback is the same.
        string? failure = _redis.IsConnected ? null : "not connected";
        if (failure is null)
        {
            try
            {
                var result = (RedisResult[])(await _redis.GetDatabase().ScriptEvaluateAsync(
                    Script, [KeyPrefix + "user:" + userKey, KeyPrefix + "global"], _arguments))!;
                if (_redisDown.Cleared(out var suppressed))
                {
                    LogRedisBack(_logger, suppressed);
                }
                return (long)result[0] == 1
                    ? RateLimitDecision.Allow("redis")
                    : new RateLimitDecision(false, TimeSpan.FromMilliseconds((long)result[1]), (long)result[2] == 1 ? "user" : "global", "redis");
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                failure = $"{e.GetType().Name}: {e.Message}";
            }
        }
        // Limits keep working per replica rather than failing requests or letting them all through.
        if (_redisDown.Occurred(out var held))
        {
            LogRedisDown(_logger, failure, held, _redisDown.Interval.TotalSeconds);
        }
        return AcquireInProcess(userKey);
    }

    private RateLimitDecision AcquireInProcess(string userKey)
    {
        using var user = _users.AttemptAcquire(userKey);
        if (!user.IsAcquired)
        {
            return new RateLimitDecision(false, RetryAfter(user), "user", "memory");
        }
        using var global = _global.AttemptAcquire();
        return global.IsAcquired ? RateLimitDecision.Allow("memory") : new RateLimitDecision(false, RetryAfter(global), "global", "memory");
    }

    private static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);

    // Whole tokens per replenishment: one period per second when the rate allows, else one token per period.
    private static TokenBucketRateLimiterOptions Bucket(double perSecond, int burst) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = perSecond >= 1 ? (int)Math.Round(perSecond) : 1,
        ReplenishmentPeriod = perSecond >= 1 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(1 / perSecond),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    public void Dispose()
    {
        _users.Dispose();
        _global.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rate limits fall back to this process: Redis did not run the token-bucket script ({Failure}). Each replica limits on its own until Redis answers. {Suppressed} more requests limited in process since the last report; the next report comes in {IntervalSeconds} s at the earliest.")]
    private static partial void LogRedisDown(ILogger logger, string failure, int suppressed, double intervalSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rate limits are shared through Redis again ({Suppressed} requests limited in process since the last report).")]
    private static partial void LogRedisBack(ILogger logger, int suppressed);
}
