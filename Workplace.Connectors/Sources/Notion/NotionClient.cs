using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;
using Workplace.Connectors.Credentials;
using Workplace.Connectors.Sources.Providers;
using Workplace.ServiceDefaults.ConnectorApi;
using Workplace.ServiceDefaults.Resilience;

namespace Workplace.Connectors.Sources.Notion;

/// <summary>
/// The Notion API calls of the notion source, each as the given user (their token is added by
/// <see cref="ProviderAuthenticationHandler"/>), each answer or error turned into what the source reports. Like the
/// other provider clients it asks the factory for its named client on every call, so handlers and DNS are renewed.
/// </summary>
public sealed class NotionClient(IHttpClientFactory clients, IOptionsMonitor<NotionOptions> options, NotionTrace trace, TimeProvider time)
{
    public const string HttpClientName = "Notion";

    /// <summary>The API version whose shapes <see cref="NotionJsonContext"/> reads.</summary>
    public const string Version = "2025-09-03";

    /// <summary>Notion's largest page of results.</summary>
    public const int MaxPageSize = 100;

    private const int MaxErrorBodyBytes = 64 * 1024;
    private const int MaxQuotedMessageChars = 300;

    public Task<NotionList<JsonElement>> SearchAsync(InternalPrincipal user, NotionSearchRequest search, CancellationToken cancellationToken) =>
        SendAsync(user, HttpMethod.Post, "v1/search", JsonContent.Create(search, NotionJsonContext.Default.NotionSearchRequest),
            NotionJsonContext.Default.NotionListJsonElement, "search result", cancellationToken);

    public Task<NotionPage> GetPageAsync(InternalPrincipal user, Guid pageId, CancellationToken cancellationToken) =>
        SendAsync(user, HttpMethod.Get, $"v1/pages/{pageId:D}", null, NotionJsonContext.Default.NotionPage, "page", cancellationToken);

    public Task<NotionDataSource> GetDataSourceAsync(InternalPrincipal user, Guid dataSourceId, CancellationToken cancellationToken) =>
        SendAsync(user, HttpMethod.Get, $"v1/data_sources/{dataSourceId:D}", null, NotionJsonContext.Default.NotionDataSource, "database", cancellationToken);

    public Task<NotionList<NotionPage>> QueryDataSourceAsync(InternalPrincipal user, Guid dataSourceId, string? cursor, CancellationToken cancellationToken) =>
        SendAsync(user, HttpMethod.Post, $"v1/data_sources/{dataSourceId:D}/query",
            JsonContent.Create(new NotionQueryRequest(MaxPageSize, cursor), NotionJsonContext.Default.NotionQueryRequest),
            NotionJsonContext.Default.NotionListNotionPage, "database", cancellationToken);

    public Task<NotionList<NotionBlock>> ListChildrenAsync(InternalPrincipal user, Guid blockId, string? cursor, CancellationToken cancellationToken) =>
        SendAsync(user, HttpMethod.Get,
            $"v1/blocks/{blockId:D}/children?page_size={MaxPageSize}" + (cursor is null ? "" : "&start_cursor=" + Uri.EscapeDataString(cursor)),
            null, NotionJsonContext.Default.NotionListNotionBlock, "block", cancellationToken);

    public Task<NotionUser> GetUserAsync(InternalPrincipal user, Guid userId, CancellationToken cancellationToken) =>
        SendAsync(user, HttpMethod.Get, $"v1/users/{userId:D}", null, NotionJsonContext.Default.NotionUser, "user", cancellationToken);

    private async Task<T> SendAsync<T>(InternalPrincipal user, HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T> type, string what, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content }.For(user);
        request.Headers.Add("Notion-Version", Version);
        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception e) when (ProviderFailures.Translate(e, NotionSource.Title) is { } failure)
        {
            throw failure;
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await ProviderFailures.ThrottledAsync(response, NotionSource.SourceId, NotionSource.Title, cancellationToken)
                    ?? await FailureAsync(response, what, cancellationToken);
            }
            MemoryStream body;
            try
            {
                body = await ReadAsync(response.Content, options.CurrentValue.MaxResponseBytes, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                throw new SourceRequestException(SourceFailure.ProviderFailure, "Notion's answer broke off while it was being read. Try again.", inner: e);
            }
            using (body)
            {
                try
                {
                    return JsonSerializer.Deserialize(body, type) ?? throw new JsonException("the body is null");
                }
                catch (JsonException e)
                {
                    trace.MalformedAnswer(path, e);
                    throw new SourceRequestException(SourceFailure.ProviderFailure,
                        $"Notion answered with a {what} that is not valid JSON of the shape its API documents. Try again; if it persists, report it to the administrator.", inner: e);
                }
            }
        }
    }

    private static async Task<MemoryStream> ReadAsync(HttpContent content, long limit, CancellationToken cancellationToken) =>
        await ProviderContent.ReadBoundedAsync(content, limit, cancellationToken) ?? throw TooLarge(limit);

    private static SourceRequestException TooLarge(long limit) => new(SourceFailure.ProviderFailure,
        $"Notion answered with more than {limit:N0} bytes for one call, more than this server reads (Sources:Notion:MaxResponseBytes). Open the page in Notion instead.");

    private async Task<SourceRequestException> FailureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var error = await ReadErrorAsync(response.Content, cancellationToken);
        var code = error?.Code ?? "no error code";
        var quoted = Quote(error?.Message);
        var retryAfter = HttpResiliencePolicy.RetryAfter(response, time.GetUtcNow());
        return status switch
        {
            (int)HttpStatusCode.Unauthorized => new(SourceFailure.NotConnected,
                "Notion refused your connection even after a token refresh: access was revoked or has expired. Connect Notion again (the connect URL is in list_sources), then call again."),
            (int)HttpStatusCode.NotFound => new(SourceFailure.NotFound,
                $"Notion found no {what} with this id that your Notion connection can see. Notion answers the same for one that does not exist and one not shared with the Workplace integration: "
                + "share it with the integration in Notion (••• → Connections), or search again for a current id."),
            (int)HttpStatusCode.Forbidden => new(SourceFailure.ProviderFailure,
                $"Notion refused access ({code}){quoted}. The Workplace integration may lack the capability to read content; ask your Notion workspace owner."),
            (int)HttpStatusCode.BadRequest => new(SourceFailure.ProviderFailure,
                $"Notion refused the request ({code}){quoted}."),
            >= 500 => new(SourceFailure.ProviderFailure,
                $"Notion failed with HTTP {status} ({code}){quoted}. Try again " + (retryAfter is null ? "later." : $"after {Seconds(retryAfter)}.")),
            _ => new(SourceFailure.ProviderFailure, $"Notion answered HTTP {status} ({code}){quoted}."),
        };
    }

    private static async Task<NotionError?> ReadErrorAsync(HttpContent content, CancellationToken cancellationToken)
    {
        try
        {
            using var body = await ReadAsync(content, MaxErrorBodyBytes, cancellationToken);
            return JsonSerializer.Deserialize(body, NotionJsonContext.Default.NotionError);
        }
        catch (Exception e) when (e is JsonException or SourceRequestException)
        {
            // The status alone says enough: proxies in front of Notion answer errors in HTML.
            return null;
        }
    }

    // Notion's messages name the field or object at fault and never echo credentials; one line, bounded, still.
    private static string Quote(string? message)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return "";
        }
        var line = string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return ": " + (line.Length > MaxQuotedMessageChars ? line[..MaxQuotedMessageChars] + "…" : line);
    }

    private static string Seconds(TimeSpan? wait) => wait is { } value ? $"{Math.Ceiling(value.TotalSeconds):0} s" : "a few seconds";
}
