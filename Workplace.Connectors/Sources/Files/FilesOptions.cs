using System.ComponentModel.DataAnnotations;

namespace Workplace.Connectors.Sources.Files;

/// <summary>Configuration section `Sources:Files`.</summary>
public sealed class FilesOptions
{
    public const string Section = "Sources:Files";

    /// <summary>
    /// The folder to serve. Relative paths resolve against the repository root (the nearest folder above the
    /// content root holding Workplace.sln), else the content root; the AppHost passes an absolute path.
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    public string Root { get; set; } = "samples/workspace";

    /// <summary>Larger files are skipped at indexing time, with a log line.</summary>
    [Range(1, long.MaxValue)]
    public long MaxFileBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>Quiet time after the last file-system event before the folder is reconciled.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan Debounce { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Full rescan period: the safety net for events a watcher drops.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromSeconds(60);
}
