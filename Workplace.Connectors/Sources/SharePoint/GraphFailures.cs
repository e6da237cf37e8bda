using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Workplace.ServiceDefaults.Resilience;
using Workplace.Connectors.Sources.Providers;
using Workplace.ServiceDefaults.Logging;

namespace Workplace.Connectors.Sources.SharePoint;

public enum GraphOperation
{
    Search,
    Fetch,
    Download,
}

/// <summary>
/// What Microsoft Graph's failures mean to the caller: each becomes a <see cref="SourceRequestException"/> whose message
/// says what went wrong and what to do, and never carries a token or a download URL (which authenticates by itself).
/// Provider failures are logged once per interval, not once per request.
/// </summary>
public sealed partial class GraphFailures(TimeProvider time, ILogger<GraphFailures> logger)
{
    private static readonly TimeSpan s_logInterval = TimeSpan.FromMinutes(1);

    private readonly OncePerInterval _providerFailures = new(s_logInterval, time);
    private readonly OncePerInterval _uncarriable = new(s_logInterval, time);

    /// <summary>Runs one Graph call; its failures come out translated, cancellation by the caller as it is.</summary>
    public async Task<T> Guard<T>(string source, GraphOperation operation, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            var result = await call();
            if (_providerFailures.Cleared(out var suppressed))
            {
                Recovered(logger, source, suppressed);
            }
            return result;
        }
        catch (Exception e) when (e is not SourceRequestException && !cancellationToken.IsCancellationRequested)
        {
            throw Translate(e, operation);
        }
    }

    public SourceRequestException Translate(Exception e, GraphOperation operation)
    {
        var failure = ProviderFailures.Translate(e, SharePointSource.Title) ?? e switch
        {
            ApiException api => FromStatus(api.ResponseStatusCode, (api as ODataError)?.Error?.Code, RetryAfter(api.ResponseHeaders), operation),
            JsonException or FormatException => Malformed("the answer is not valid JSON"),
            _ => new SourceRequestException(SourceFailure.ProviderFailure,
                "Microsoft Graph's answer could not be read. Try again in a moment."),
        };
        if (failure.Failure == SourceFailure.ProviderFailure && _providerFailures.Occurred(out var suppressed))
        {
            Failed(logger, operation, suppressed, e);
        }
        return failure;
    }

    /// <summary>The pre-authenticated download answered an error: its URL is never repeated, only what to do.</summary>
    public void ThrowIfDownloadFailed(HttpResponseMessage response, string name)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var retryAfter = HttpResiliencePolicy.RetryAfter(response, time.GetUtcNow());
        throw FromStatus((int)response.StatusCode, code: null, retryAfter, GraphOperation.Download, name);
    }

    public SourceRequestException Malformed(string what) =>
        new(SourceFailure.ProviderFailure, $"Microsoft Graph answered something this server cannot read ({what}). Try again later; if it persists, the provider or a proxy in between is misbehaving.");

    public void SkippedUncarriableId()
    {
        if (_uncarriable.Occurred(out var suppressed))
        {
            Uncarriable(logger, suppressed);
        }
    }

    private static SourceRequestException FromStatus(int status, string? code, TimeSpan? retryAfter, GraphOperation operation, string? name = null)
    {
        var coded = code is null ? status.ToString(CultureInfo.InvariantCulture) : $"{status} {code}";
        return (HttpStatusCode)status switch
        {
            // Graph throttles with a 429, and SharePoint also with a 503 that carries Retry-After.
            HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable when retryAfter is not null || status == 429 =>
                ProviderFailures.Throttled(SharePointSource.Title, retryAfter),
            HttpStatusCode.Unauthorized when operation != GraphOperation.Download => new SourceRequestException(SourceFailure.NotConnected,
                "Microsoft 365 refused your SharePoint and OneDrive access even after a refresh: it was revoked or has expired. Open the connect URL from list_sources, allow access, then call again."),
            HttpStatusCode.Forbidden when operation == GraphOperation.Search => new SourceRequestException(SourceFailure.NotConnected,
                $"Microsoft Graph refused the search ({coded}): your SharePoint and OneDrive access lacks permission to read files. Connect again from list_sources and allow reading files and sites."),
            HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.Gone when operation == GraphOperation.Fetch => new SourceRequestException(SourceFailure.NotFound,
                "No SharePoint or OneDrive item you can see has this id: it was deleted or moved, or it is not shared with you. Search again for a current id."),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Gone when operation == GraphOperation.Download =>
                new SourceRequestException(SourceFailure.ProviderFailure, $"The download of '{name}' was refused ({coded}): its link expired or the file changed. Fetch it again."),
            _ => new SourceRequestException(SourceFailure.ProviderFailure,
                $"Microsoft Graph failed to answer the {operation.ToString().ToLowerInvariant()} ({coded}). Try again later."),
        };
    }

    private TimeSpan? RetryAfter(IDictionary<string, IEnumerable<string>>? headers)
    {
        var value = headers?.FirstOrDefault(h => string.Equals(h.Key, "Retry-After", StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
        if (value is null)
        {
            return null;
        }
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }
        return DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? date - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero
            : null;
    }

    [LoggerMessage(1, LogLevel.Warning, "Microsoft Graph failed a {Operation} ({Suppressed} more failures since the last report)")]
    private static partial void Failed(ILogger logger, GraphOperation operation, int suppressed, Exception exception);

    [LoggerMessage(2, LogLevel.Information, "Microsoft Graph answers {Source} again ({Suppressed} failures since the last report)")]
    private static partial void Recovered(ILogger logger, string source, int suppressed);

    [LoggerMessage(3, LogLevel.Warning, "Skipped search hits whose drive or item id cannot be carried in a document id ({Suppressed} more since the last report)")]
    private static partial void Uncarriable(ILogger logger, int suppressed);
}
