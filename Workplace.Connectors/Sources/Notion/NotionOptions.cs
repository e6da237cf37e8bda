using System.ComponentModel.DataAnnotations;

namespace Workplace.Connectors.Sources.Notion;

/// <summary>
/// The limits of the notion source, bound from `Sources:Notion` beside its <see cref="Credentials.ProviderSourceOptions"/>.
/// They bound what one call may cost, so a huge or hostile page is a clear error instead of a hang.
/// </summary>
public sealed class NotionOptions
{
    public const string Section = "Sources:Notion";

    /// <summary>How deep nested blocks are followed below the page (a list item in a toggle in a callout is depth 3).</summary>
    [Range(1, 64)]
    public int MaxDepth { get; set; } = 16;

    /// <summary>The most blocks read for one page: at Notion's 100 blocks per call and about 3 calls a second, 3,000 blocks take about 10 s.</summary>
    [Range(1, 100_000)]
    public int MaxBlocks { get; set; } = 3_000;

    /// <summary>The largest body read from one Notion answer; a list of 100 blocks is rarely above 1 MB.</summary>
    [Range(1_024, 256L * 1024 * 1024)]
    public long MaxResponseBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>Results per search call (Notion allows 1 to 100); a search follows next_cursor until it has max_results.</summary>
    [Range(1, 100)]
    public int SearchPageSize { get; set; } = 100;

    /// <summary>The most search calls for one search, so a filter that matches little cannot walk a whole workspace.</summary>
    [Range(1, 100)]
    public int MaxSearchCalls { get; set; } = 10;
}
