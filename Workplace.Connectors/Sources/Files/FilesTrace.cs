namespace Workplace.Connectors.Sources.Files;

internal static partial class FilesTrace
{
    [LoggerMessage(1, LogLevel.Information, "Files source serves {Root}")]
    public static partial void Serving(ILogger logger, string root);

    [LoggerMessage(2, LogLevel.Warning, "Files source root {Root} does not exist; serving no documents until it appears (set Sources:Files:Root to an existing folder)")]
    public static partial void RootMissing(ILogger logger, string root);

    [LoggerMessage(3, LogLevel.Information, "Files index reconciled in {ElapsedMs} ms: {Documents} documents, {Updated} added or changed, {Removed} removed")]
    public static partial void Reconciled(ILogger logger, long elapsedMs, long documents, int updated, int removed);

    [LoggerMessage(4, LogLevel.Information, "Skipped {Path}: links are never followed, so no document can come from outside the root")]
    public static partial void SkippedLink(ILogger logger, string path);

    [LoggerMessage(5, LogLevel.Information, "Skipped {Path}: {Size} bytes exceeds Sources:Files:MaxFileBytes ({Limit})")]
    public static partial void SkippedTooLarge(ILogger logger, string path, long size, long limit);

    [LoggerMessage(6, LogLevel.Warning, "Skipped {Path}: it could not be converted to Markdown")]
    public static partial void ConversionFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(7, LogLevel.Warning, "Could not read folder {Path}; its documents are left out until the next rescan")]
    public static partial void FolderUnreadable(ILogger logger, string path, Exception exception);

    [LoggerMessage(8, LogLevel.Warning, "The file watcher on {Root} failed; a full rescan follows")]
    public static partial void WatcherFailed(ILogger logger, string root, Exception exception);

    [LoggerMessage(9, LogLevel.Error, "Reconciling the files index failed; retrying at the next rescan")]
    public static partial void ReconcileFailed(ILogger logger, Exception exception);

    [LoggerMessage(10, LogLevel.Information, "Skipped {Path}: its name cannot be carried in a document id ({Reason}); rename it")]
    public static partial void SkippedName(ILogger logger, string path, string reason);
}
