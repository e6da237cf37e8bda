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
/// Not RedisRateLimiting: its limiters take one bucket per partition, so a user bucket and the global bucket would be
/// two round trips that cannot be charged atomically (a request refused by the global bucket would still spend the
/// user's token), and a Redis outage fails its acquisitions instead of falling back to per-process limits.
/// </remarks>
public sealed class UserRateLimiter
{
    // Both keys share the {workplace-rl} hash tag so the two-key script also runs on a Redis Cluster.
    private const string KeyPrefix = "workplace:{workplace-rl}:";

    private readonly RateLimitOptions _limits;
    private readonly SharedTokenBuckets _buckets;
    private readonly TokenBucket _global;

    public UserRateLimiter(IOptions<AuthOptions> options, ILogger<UserRateLimiter> logger, TimeProvider timeProvider, IConnectionMultiplexer? redis = null)
    {
        _limits = options.Value.RateLimit;
        _buckets = new SharedTokenBuckets("Rate limits", redis, timeProvider, logger);
        _global = new TokenBucket(KeyPrefix + "global", _limits.GlobalRequestsPerSecond, _limits.GlobalBurst);
    }

    public async Task<RateLimitDecision> AcquireAsync(string userKey)
    {
        var user = new TokenBucket(KeyPrefix + "user:" + userKey, _limits.UserRequestsPerMinute / 60, _limits.UserBurst);
        var (decision, store) = await _buckets.AcquireAsync([user, _global], TimeSpan.Zero);
        return decision.Admitted
            ? RateLimitDecision.Allow(store)
            : new RateLimitDecision(false, decision.Wait, decision.Limiting == 0 ? "user" : "global", store);
    }
}
