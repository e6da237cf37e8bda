using System.ComponentModel.DataAnnotations;

namespace Workplace.Connectors.Sources.SharePoint;

/// <summary>
/// What the sharepoint source reads from `Sources:SharePoint` beside the provider settings every source shares
/// (<see cref="Credentials.ProviderSourceOptions"/>: BaseUrl, Emulated, TokenSource, OAuth).
/// </summary>
public sealed class SharePointOptions
{
    public const string Section = "Sources:SharePoint";

    /// <summary>The largest file fetch downloads; a larger one is refused with its size and a link to open it instead.</summary>
    [Range(1, 1L << 30)]
    public long MaxDownloadBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Results asked of Graph's search per request; more are fetched with <c>from</c> until max_results are found.</summary>
    [Range(1, 500)]
    public int SearchPageSize { get; set; } = 25;

    /// <summary>With include_content, how many files of one search are downloaded at a time.</summary>
    [Range(1, 16)]
    public int ContentConcurrency { get; set; } = 4;
}
