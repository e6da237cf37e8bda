using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Workplace.Connectors.Telemetry;
using Workplace.ServiceDefaults.Logging;

namespace Workplace.Connectors.Sources;

/// <summary>The <c>DocumentCache</c> section: how much converted Markdown is kept, and for how long.</summary>
public sealed class DocumentCacheOptions
{
    public const string Section = "DocumentCache";

    /// <summary>A document longer than this is converted on every read and never cached; 0 caches nothing.</summary>
    [Range(0, 4_000_000)]
    public int MaxChars { get; set; } = 2_000_000;

    /// <summary>How long a version is kept (in Redis when it is configured): a new version is a new key, so this bounds memory, not staleness.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Expiration { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The most this replica's memory level holds, in bytes; the least recently used versions go first.</summary>
    [Range(1024 * 1024, 16L * 1024 * 1024 * 1024)]
    public long LocalMaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>How long a replica keeps a version in its own memory, for the ranges of one document read one after another.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LocalExpiration { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// Providers' documents converted to Markdown, in HybridCache (this replica's memory, then Redis when configured) under
/// the source, the document's native id and the provider's version of it (Drive's <c>version</c>, Notion's
/// <c>last_edited_time</c>, Graph's <c>cTag</c>). Only a caller that has just read the document's metadata as the user
/// (the permission check, which also names the current version) asks: so a hit is content that user may read, an edit is
/// a new key and never served stale, and a hit saves the export, block walk or download and the conversion.
/// </summary>
public sealed partial class DocumentCache(
    HybridCache cache, IOptionsMonitor<DocumentCacheOptions> options, ConnectorMetrics metrics, TimeProvider time, ILogger<DocumentCache> logger,
    IConnectionMultiplexer? redis = null)
{
    // Raised when a conversion changes what the same version turns into, so Markdown of the old converters is not served.
    private const string Format = "v1";

    // Well under HybridCache's key limit; a provider's version or id longer than this is not one to trust as a key.
    private const int MaxKeyLength = 512;

    private readonly OncePerInterval _redisDown = new(TimeSpan.FromMinutes(1), time);

    /// <summary>
    /// The Markdown of <paramref name="version"/> of a document: from the cache, else <paramref name="read"/>'s, kept when
    /// it is no longer than <see cref="DocumentCacheOptions.MaxChars"/>. A null or empty version is read every time.
    /// </summary>
    public async Task<string> GetOrReadAsync(string source, string nativeId, string? version, Func<CancellationToken, Task<string>> read, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (settings.MaxChars == 0 || string.IsNullOrEmpty(version) || Key(source, nativeId, version) is not { } key)
        {
            metrics.RecordDocumentCache(source, "unversioned");
            return await read(cancellationToken);
        }
        var layers = RedisUsable() ? HybridCacheEntryFlags.None : HybridCacheEntryFlags.DisableDistributedCache;
        // A look-up only: each user's read runs on their own token and fails with their own error, so callers do not
        // share one read (HybridCache's stampede protection would hand one user's failure to another).
        var cached = await cache.GetOrCreateAsync<string?>(key, static _ => ValueTask.FromResult<string?>(null),
            new HybridCacheEntryOptions { Flags = layers | HybridCacheEntryFlags.DisableUnderlyingData }, cancellationToken: cancellationToken);
        if (cached is not null)
        {
            metrics.RecordDocumentCache(source, "hit");
            return cached;
        }
        var markdown = await read(cancellationToken);
        if (markdown.Length > settings.MaxChars)
        {
            metrics.RecordDocumentCache(source, "too_large");
            return markdown;
        }
        await cache.SetAsync(key, markdown,
            new HybridCacheEntryOptions { Expiration = settings.Expiration, LocalCacheExpiration = settings.LocalExpiration, Flags = layers },
            cancellationToken: CancellationToken.None);
        metrics.RecordDocumentCache(source, "miss");
        return markdown;
    }

    private static string? Key(string source, string nativeId, string version)
    {
        var key = $"documents:{Format}:{source}:{nativeId}:{version}";
        return key.Length <= MaxKeyLength ? key : null;
    }

    // Redis down: this replica's memory only, rather than HybridCache trying (and logging) Redis on every fetch.
    private bool RedisUsable()
    {
        if (redis is null || redis.IsConnected)
        {
            _redisDown.Cleared(out _);
            return true;
        }
        if (_redisDown.Occurred(out var suppressed))
        {
            LogRedisDown(logger, suppressed);
        }
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The document cache is in this replica's memory only: Redis is not connected ({Suppressed} more fetches since the last line).")]
    private static partial void LogRedisDown(ILogger logger, int suppressed);
}
