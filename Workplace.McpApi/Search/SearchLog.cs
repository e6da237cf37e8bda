namespace Workplace.McpApi.Search;

internal static partial class SearchLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Search in {Source} gave up after {TimeoutMs} ms")]
    public static partial void SourceTimedOut(ILogger logger, string source, double timeoutMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Search in {Source} failed")]
    public static partial void SourceFailed(ILogger logger, string source, Exception exception);
}
