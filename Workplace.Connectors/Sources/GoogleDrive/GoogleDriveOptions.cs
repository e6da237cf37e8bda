using System.ComponentModel.DataAnnotations;

namespace Workplace.Connectors.Sources.GoogleDrive;

/// <summary>
/// How the google_drive source reads Drive, bound from `Sources:GoogleDrive` beside the provider options
/// (<see cref="Credentials.ProviderSourceOptions"/>: base URL, token source, OAuth client).
/// </summary>
public sealed class GoogleDriveOptions
{
    public const string Section = "Sources:GoogleDrive";

    /// <summary>The largest file (download or export) read as text; a larger one is refused with a message, never half read.</summary>
    [Range(1, 100 * 1024 * 1024)]
    public long MaxDownloadBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>The most files asked for in one files.list page; a search follows pages until it has max_results.</summary>
    [Range(1, 1000)]
    public int PageSize { get; set; } = 100;

    /// <summary>The most pages one search tier follows: Drive may answer short or empty pages, and a search must end.</summary>
    [Range(1, 100)]
    public int MaxPages { get; set; } = 10;
}
