namespace Workplace.Connectors.Sources.GoogleDrive;

internal static partial class DriveTrace
{
    [LoggerMessage(1, LogLevel.Warning, "Google Drive failed: HTTP {Status}, reason {Reason} ({Suppressed} more such failures since the last line)")]
    public static partial void ProviderFailed(ILogger logger, string status, string reason, int suppressed);

    [LoggerMessage(2, LogLevel.Information, "Google Drive search left out the content of {FileId}: {Message}")]
    public static partial void ContentSkipped(ILogger logger, string fileId, string message);
}
