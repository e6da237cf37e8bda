using Workplace.ServiceDefaults.Logging;

namespace Workplace.Connectors.Sources.Notion;

/// <summary>The notion source's log lines; a broken answer repeats on every call, so it is logged once per interval.</summary>
public sealed partial class NotionTrace(ILogger<NotionTrace> logger, TimeProvider time)
{
    private readonly OncePerInterval _malformed = new(TimeSpan.FromMinutes(1), time);

    public void MalformedAnswer(string path, Exception exception)
    {
        if (_malformed.Occurred(out var suppressed))
        {
            MalformedAnswer(logger, path.Split('?')[0], suppressed, exception);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Notion answered {Path} with a body that is not the JSON its API documents ({Suppressed} more since the last line)")]
    private static partial void MalformedAnswer(ILogger logger, string path, int suppressed, Exception exception);

}
