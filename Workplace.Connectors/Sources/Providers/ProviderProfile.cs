using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workplace.Connectors.Sources.Providers;

/// <summary>
/// What differs between providers: the default budget (documented limits), the POSTs that only read (safe to send
/// again), and a "slow down" answer that is not a 429 or 5xx.
/// </summary>
internal sealed record ProviderProfile(
    double RequestsPerSecond,
    int Burst,
    double? UserRequestsPerSecond,
    Func<HttpRequestMessage, bool> IsReadOnlyPost,
    Func<HttpResponseMessage, CancellationToken, ValueTask<bool>> IsThrottled)
{
    // Google Drive: 12,000 queries per 60 s per project and per user (developers.google.com/drive/api/guides/limits);
    // over it, a 403 usageLimits rateLimitExceeded / userRateLimitExceeded (or a 429), without Retry-After. The user's
    // 200 a second binds once the project's budget is raised past it.
    private static readonly ProviderProfile s_googleDrive = new(150, 50, 200, static _ => false, IsGoogleRateLimitAsync);

    // Notion: an average of three requests a second per integration, some bursts allowed
    // (developers.notion.com/reference/request-limits). Search and queries are POSTs that only read.
    private static readonly ProviderProfile s_notion = new(3, 5, null, static request => EndsWith(request, "/search") || EndsWith(request, "/query"), NotThrottled);

    // Microsoft Graph on SharePoint and OneDrive: the smallest tenants get 1,250 resource units a minute per app
    // (learn.microsoft.com/sharepoint/dev/general-development/how-to-avoid-getting-throttled-or-blocked-in-sharepoint-online),
    // about 20 a second, and most calls cost 1 or 2; it documents no fixed per-user rate (set one under Budget if a
    // tenant needs it). search/query is a POST that only reads.
    private static readonly ProviderProfile s_sharePoint = new(10, 20, null, static request => EndsWith(request, "/search/query"), NotThrottled);

    private static readonly ProviderProfile s_other = new(10, 10, null, static _ => false, NotThrottled);

    public static ProviderProfile For(string source) => source switch
    {
        "google_drive" => s_googleDrive,
        "notion" => s_notion,
        "sharepoint" => s_sharePoint,
        _ => s_other,
    };

    private static bool EndsWith(HttpRequestMessage request, string path) =>
        request.Method == HttpMethod.Post && request.RequestUri?.AbsolutePath.EndsWith(path, StringComparison.Ordinal) == true;

    private static ValueTask<bool> NotThrottled(HttpResponseMessage response, CancellationToken cancellationToken) => ValueTask.FromResult(false);

    // An error body is a few hundred bytes; a larger 403 is not the rate-limit error.
    private const int MaxErrorBody = 64 * 1024;

    /// <summary>
    /// Google's 403 whose reason is rateLimitExceeded or userRateLimitExceeded (a 403 also means "no access"). The
    /// body is buffered, so whoever reads the response afterwards still reads all of it.
    /// </summary>
    private static async ValueTask<bool> IsGoogleRateLimitAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var content = response.Content.Headers;
        if (response.StatusCode != HttpStatusCode.Forbidden
            || content.ContentType?.MediaType != "application/json"
            || content.ContentLength is > MaxErrorBody)
        {
            return false;
        }
        try
        {
            await response.Content.LoadIntoBufferAsync(MaxErrorBody, cancellationToken);
            var body = JsonSerializer.Deserialize(await response.Content.ReadAsByteArrayAsync(cancellationToken), ProviderJsonContext.Default.GoogleErrorBody);
            return body?.Error?.Errors?.Any(e => e.Reason is "rateLimitExceeded" or "userRateLimitExceeded") == true;
        }
        catch (Exception e) when (e is JsonException or HttpRequestException)
        {
            return false;
        }
    }
}

internal sealed record GoogleErrorBody(GoogleError? Error);

internal sealed record GoogleError(IReadOnlyList<GoogleErrorItem>? Errors);

internal sealed record GoogleErrorItem(string? Domain, string? Reason);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(GoogleErrorBody))]
internal sealed partial class ProviderJsonContext : JsonSerializerContext;
