using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;
using Workplace.Connectors.Credentials;
using Workplace.Connectors.Sources.Providers;
using Workplace.ServiceDefaults.ConnectorApi;
using Workplace.ServiceDefaults.Logging;
using Workplace.ServiceDefaults.Resilience;

namespace Workplace.Connectors.Sources.GoogleDrive;

/// <summary>
/// Drive v3 over HTTP (the Drive SDK does not restore here), as the user each call names: files.list, files.get and
/// files.export, each answer read with a size bound and each Drive error turned into a <see cref="SourceRequestException"/>
/// whose message says what to do. It asks the factory for its named client on every call rather than holding a
/// typed client: the source is a singleton, and a client held for ever would never see its handlers (and DNS) renewed.
/// </summary>
public sealed class DriveClient(IHttpClientFactory clients, IOptions<GoogleDriveOptions> options, TimeProvider time, ILogger<DriveClient> logger)
{
    public const string HttpClientName = "GoogleDrive";

    // Only what a search hit or a fetch uses: description feeds the snippet, size the download cap, the users the author,
    // version the document cache's key.
    private const string ListFields = "nextPageToken,files(id,name,mimeType,description,webViewLink,modifiedTime,size,version,lastModifyingUser(displayName,emailAddress),owners(displayName,emailAddress))";
    private const string FetchFields = "id,name,mimeType,webViewLink,modifiedTime,size,version";

    // An error body is a few hundred bytes; more is not an error body.
    private const long MaxErrorBytes = 64 * 1024;

    // A page of a thousand files with the fields asked for is well under a megabyte; a bigger answer is not Drive's.
    private const long MaxJsonBytes = 4 * 1024 * 1024;

    private static readonly TimeSpan s_logInterval = TimeSpan.FromMinutes(1);

    private readonly OncePerInterval _failures = new(s_logInterval, time);

    private long MaxBytes => options.Value.MaxDownloadBytes;

    /// <summary>One page of files.list across My Drive, shared-with-me and every shared drive the user belongs to.</summary>
    public async Task<DriveFileList> ListAsync(InternalPrincipal user, string q, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        var uri = "drive/v3/files?corpora=allDrives&includeItemsFromAllDrives=true&supportsAllDrives=true"
            + $"&q={Uri.EscapeDataString(q)}&pageSize={pageSize.ToString(CultureInfo.InvariantCulture)}&fields={Uri.EscapeDataString(ListFields)}"
            + (pageToken is null ? "" : $"&pageToken={Uri.EscapeDataString(pageToken)}");
        return await GetJsonAsync(user, uri, DriveJsonContext.Default.DriveFileList, cancellationToken);
    }

    /// <summary>A file's metadata; <paramref name="fileId"/> has passed <see cref="DriveFileId.IsValid"/>.</summary>
    public Task<DriveFile> GetAsync(InternalPrincipal user, string fileId, CancellationToken cancellationToken) =>
        GetJsonAsync(user, $"drive/v3/files/{fileId}?supportsAllDrives=true&fields={Uri.EscapeDataString(FetchFields)}", DriveJsonContext.Default.DriveFile, cancellationToken);

    /// <summary>A file's bytes (files.get alt=media), at most <see cref="GoogleDriveOptions.MaxDownloadBytes"/>.</summary>
    public async Task<MemoryStream> DownloadAsync(InternalPrincipal user, string fileId, CancellationToken cancellationToken) =>
        (await GetBytesAsync(user, $"drive/v3/files/{fileId}?alt=media&supportsAllDrives=true", MaxBytes, TooLarge, unsupportedConversion: false, cancellationToken))!;

    /// <summary>A Google Docs editors file converted by Drive (files.export); null when Drive cannot convert it to <paramref name="mimeType"/>.</summary>
    public Task<MemoryStream?> ExportAsync(InternalPrincipal user, string fileId, string mimeType, CancellationToken cancellationToken) =>
        GetBytesAsync(user, $"drive/v3/files/{fileId}/export?mimeType={Uri.EscapeDataString(mimeType)}", MaxBytes, TooLarge, unsupportedConversion: true, cancellationToken);

    /// <summary>The refusal of a file larger than this source reads, in the words the caller sees.</summary>
    public SourceRequestException TooLarge() => new(SourceFailure.InvalidRequest,
        $"This Google Drive file is larger than {Size(MaxBytes)}, the most this server reads as text. Open it in Google Drive instead, or fetch a smaller file.");

    private SourceRequestException OversizedJson()
    {
        LogFailure(HttpStatusCode.OK, "oversizedJson");
        return new SourceRequestException(SourceFailure.ProviderFailure,
            $"Google Drive sent an answer larger than {Size(MaxJsonBytes)}, far more than a page of file metadata. Try again shortly; if it persists, Google Drive is having trouble.");
    }

    private static string Size(long bytes) => bytes switch
    {
        >= 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.#} MB"),
        >= 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };

    private async Task<T> GetJsonAsync<T>(InternalPrincipal user, string uri, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var body = (await GetBytesAsync(user, uri, MaxJsonBytes, OversizedJson, unsupportedConversion: false, cancellationToken))!;
        try
        {
            return JsonSerializer.Deserialize(body, type) ?? throw new JsonException("The body is JSON null.");
        }
        catch (JsonException e)
        {
            LogFailure(HttpStatusCode.OK, "malformedJson");
            throw new SourceRequestException(SourceFailure.ProviderFailure,
                "Google Drive sent a response that is not the JSON its API documents (it may be cut off or damaged). Try again shortly; if it persists, Google Drive is having trouble.", inner: e);
        }
    }

    /// <returns>The body; null only when <paramref name="unsupportedConversion"/> and Drive refused the conversion asked for (400).</returns>
    private async Task<MemoryStream?> GetBytesAsync(InternalPrincipal user, string uri, long limit, Func<SourceRequestException> tooLarge, bool unsupportedConversion, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri).For(user);
        using var response = await SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            if (await ProviderFailures.ThrottledAsync(response, GoogleDriveSource.SourceId, GoogleDriveSource.Title, cancellationToken) is { } throttled)
            {
                throw throttled;
            }
            var (reason, failure) = await RefusalAsync(response, cancellationToken);
            if (unsupportedConversion && response.StatusCode == HttpStatusCode.BadRequest && reason is "badRequest")
            {
                return null;
            }
            if (failure.Failure == SourceFailure.ProviderFailure)
            {
                LogFailure(response.StatusCode, reason);
            }
            throw failure;
        }
        return await ProviderContent.ReadBoundedAsync(response.Content, limit, cancellationToken) ?? throw tooLarge();
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception e) when (ProviderFailures.Translate(e, GoogleDriveSource.Title) is { } failure)
        {
            if (e is HttpRequestException unreachable)
            {
                LogFailure(null, unreachable.HttpRequestError.ToString());
            }
            throw failure;
        }
    }

    /// <summary>Drive's error, read from its body (<c>error.errors[0].reason</c>), as the failure the caller sees.</summary>
    private async Task<(string? Reason, SourceRequestException Failure)> RefusalAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        DriveErrorBody? error = null;
        if (await ProviderContent.ReadBoundedAsync(response.Content, MaxErrorBytes, cancellationToken) is { } body)
        {
            using (body)
            {
                try
                {
                    error = JsonSerializer.Deserialize(body, DriveJsonContext.Default.DriveErrorResponse)?.Error;
                }
                catch (JsonException)
                {
                    // Not Google's error shape (a proxy's page): the status alone decides.
                }
            }
        }
        var status = response.StatusCode;
        var reason = error?.Errors is { Count: > 0 } errors ? errors[0].Reason : null;
        var said = Quote(error?.Message);
        var retryAfter = HttpResiliencePolicy.RetryAfter(response, time.GetUtcNow());
        switch (status, reason)
        {
            case (HttpStatusCode.Unauthorized, _):
                return (reason, new SourceRequestException(SourceFailure.NotConnected,
                    "Google Drive no longer accepts your connection (it expired or was revoked). Connect Google Drive again from list_sources, then call again."));
            case (HttpStatusCode.NotFound, _):
                return (reason, new SourceRequestException(SourceFailure.NotFound,
                    "Google Drive has no file with this id that you may see: it was deleted, is not shared with you, or never existed. Search again for a current id."));
            // Not a rate to slow down to (ProviderFailures.ThrottledAsync reads those): the project's quota for the day is spent.
            case (HttpStatusCode.Forbidden, "dailyLimitExceeded"):
                return (reason, new SourceRequestException(SourceFailure.RateLimited,
                    "Google Drive's daily request quota for this service is used up. Try again tomorrow, or ask the administrator to raise the quota in the Google Cloud console.",
                    retryAfter));
            case (HttpStatusCode.Forbidden, "exportSizeLimitExceeded"):
                return (reason, new SourceRequestException(SourceFailure.InvalidRequest,
                    "Google Drive exports at most 10 MB of a document as text, and this one is larger. Open it in Google Drive instead."));
            case (HttpStatusCode.Forbidden, "insufficientPermissions" or "insufficientScopes"):
                return (reason, new SourceRequestException(SourceFailure.NotConnected,
                    "Your Google Drive connection does not allow reading files. Connect Google Drive again from list_sources and allow read access, then call again."));
            case (HttpStatusCode.BadRequest, _):
                return (reason, new SourceRequestException(SourceFailure.ProviderFailure, $"Google Drive refused the request as invalid{said}. Search again; if it persists, report it."));
            case (HttpStatusCode.Forbidden, _):
                return (reason, new SourceRequestException(SourceFailure.ProviderFailure, $"Google Drive refused to serve this ({reason ?? "forbidden"}){said}. Ask the file's owner for access, or open it in Google Drive."));
            default:
                return (reason, new SourceRequestException(SourceFailure.ProviderFailure,
                    $"Google Drive failed (HTTP {(int)status}{(reason is null ? "" : ", " + reason)}){said}. Try again shortly.", retryAfter));
        }
    }

    // Google's messages name the file or parameter at fault, never credentials; long ones are cut.
    private static string Quote(string? message) => string.IsNullOrWhiteSpace(message) ? "" : $": \"{(message.Length > 200 ? message[..200] + "…" : message)}\"";

    private void LogFailure(HttpStatusCode? status, string? reason)
    {
        if (_failures.Occurred(out var suppressed))
        {
            DriveTrace.ProviderFailed(logger, status is null ? "no answer" : ((int)status).ToString(CultureInfo.InvariantCulture), reason ?? "none", suppressed);
        }
    }
}
