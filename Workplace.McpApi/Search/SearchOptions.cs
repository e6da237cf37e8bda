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
}
