using System.ComponentModel.DataAnnotations;

namespace Workplace.McpApi.Search;

/// <summary>Configuration section <c>Search</c>.</summary>
public sealed class SearchOptions
{
    public const string SectionName = "Search";

    /// <summary>How long one source may take before the search answers without it (status <c>timeout</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan PerSourceTimeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>How long a user's identical search is answered from the cache. Short: documents and permissions change.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// With include_content, the characters of content one search may return in all, shared evenly by its results:
    /// fifty whole documents would swamp an agent's context. The default matches fetch's largest range.
    /// </summary>
    [Range(1_000, 1_000_000)]
    public int MaxContentChars { get; set; } = 100_000;

    /// <summary>How many hits each source is asked for: the re-ranker reorders them, so a source's tenth hit may rank first.</summary>
    [Range(1, 50)]
    public int SourceDepth { get; set; } = 20;

    /// <summary>How many ranked results one search keeps for its pages (cursor); one answer holds at most 50.</summary>
    [Range(50, 500)]
    public int RankedDepth { get; set; } = 100;

    /// <summary>
    /// The bytes of cached lists mcpapi keeps in process (as HybridCache counts them: their serialized length; in memory
    /// they take about three times that, and a list whose first page was answered also holds that answer, serialized
    /// and parsed once, about 30–40 KB more, which HybridCache cannot count). Every distinct search is kept for
    /// <see cref="CacheTtl"/>, so without a bound the process would grow with the search rate. Beyond it a list is still
    /// cached in Redis, not in process.
    /// </summary>
    [Range(1_024, 8L * 1024 * 1024 * 1024)]
    public long LocalCacheMaxBytes { get; set; } = 64L * 1024 * 1024;
}
