using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Workplace.ServiceDefaults.Logging;

namespace Workplace.McpApi.Search;

/// <summary>
/// Searches' ranked lists (every page of a search, without content) in HybridCache (in process, then Redis when
/// configured) for <see cref="SearchOptions.CacheTtl"/>. Identical searches in flight share one fan-out (HybridCache's
/// stampede protection), cached or not.
/// </summary>
public sealed partial class SearchCache(
    HybridCache cache,
    SearchMetrics metrics,
    IOptions<SearchOptions> options,
    TimeProvider timeProvider,
    ILogger<SearchCache> logger,
    IConnectionMultiplexer? redis = null)
{
    private static readonly HybridCacheEntryOptions s_uncached = new()
    {
        Flags = HybridCacheEntryFlags.DisableLocalCache | HybridCacheEntryFlags.DisableDistributedCache,
    };

    private readonly OncePerInterval _redisDown = new(TimeSpan.FromSeconds(30), timeProvider);

    /// <summary>
    /// The cached answer for <paramref name="key"/>, else <paramref name="search"/>'s. Only answers that
    /// <paramref name="cacheable"/> accepts are kept: a source that failed now may answer in a second.
    /// </summary>
    public async Task<SearchOutcome> GetOrSearchAsync(string key, Func<Task<SearchOutcome>> search, Func<SearchOutcome, bool> cacheable, CancellationToken cancellationToken)
    {
        var ttl = options.Value.CacheTtl;
        var uncachedBecause = ttl <= TimeSpan.Zero ? "disabled" : RedisUsable() ? null : "unavailable";
        var entry = uncachedBecause is null ? new HybridCacheEntryOptions { Expiration = ttl, LocalCacheExpiration = ttl } : s_uncached;
        var searched = false;
        try
        {
            var outcome = await cache.GetOrCreateAsync(key, async _ =>
            {
                searched = true;
                var answer = await search();
                // HybridCache keeps whatever the factory returns; throwing is how an answer stays out of it.
                return cacheable(answer) ? answer : throw new UncacheableAnswer(answer);
            }, entry, cancellationToken: cancellationToken);
            // A caller that joined a search in flight did not reach the sources either: it counts as a hit.
            metrics.RecordCache(uncachedBecause ?? (searched ? "miss" : "hit"));
            return outcome;
        }
        catch (UncacheableAnswer e)
        {
            metrics.RecordCache(uncachedBecause ?? "miss");
            return e.Answer;
        }
    }

    // Redis down means answering uncached, not from one replica's memory: replicas must not disagree for a whole TTL,
    // and HybridCache would otherwise try Redis (and log a stack trace) on every search.
    private bool RedisUsable()
    {
        if (redis is null || redis.IsConnected)
        {
            if (_redisDown.Cleared(out var suppressed))
            {
                LogCacheBack(logger, suppressed);
            }
            return true;
        }
        if (_redisDown.Occurred(out var held))
        {
            LogCacheDown(logger, held, _redisDown.Interval.TotalSeconds);
        }
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The search cache is unavailable: Redis is not connected, so searches are answered uncached until it reconnects. {Suppressed} more uncached searches since the last report; the next report comes in {IntervalSeconds} s at the earliest.")]
    private static partial void LogCacheDown(ILogger logger, int suppressed, double intervalSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "The search cache is back: Redis is connected again ({Suppressed} uncached searches since the last report).")]
    private static partial void LogCacheBack(ILogger logger, int suppressed);

    private sealed class UncacheableAnswer(SearchOutcome answer) : Exception("A search answer with a failed source is not cached.")
    {
        public SearchOutcome Answer { get; } = answer;
    }
}

/// <summary>Caches search answers in the same JSON the tools send, through the source-generated context.</summary>
internal sealed class SearchOutcomeSerializer : IHybridCacheSerializer<SearchOutcome>
{
    public SearchOutcome Deserialize(ReadOnlySequence<byte> source)
    {
        var reader = new Utf8JsonReader(source);
        return JsonSerializer.Deserialize(ref reader, WorkplaceJsonContext.Default.SearchOutcome)
            ?? throw new JsonException("A cached search answer was null.");
    }

    public void Serialize(SearchOutcome value, IBufferWriter<byte> target)
    {
        using var writer = new Utf8JsonWriter(target);
        JsonSerializer.Serialize(writer, value, WorkplaceJsonContext.Default.SearchOutcome);
    }
}
