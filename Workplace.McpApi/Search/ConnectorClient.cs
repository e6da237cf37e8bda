using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Polly;
using Workplace.ServiceDefaults.ConnectorApi;
using Workplace.ServiceDefaults.Resilience;

namespace Workplace.McpApi.Search;

/// <summary>How a connectors call ended when it did not return a value.</summary>
public enum ConnectorFailure
{
    None,
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    /// <summary>409: the user has not connected the source, or the grant was revoked.</summary>
    NotConnected,
    RateLimited,
    /// <summary>503: the source is paused after repeated provider failures; Retry-After says until when.</summary>
    Paused,
    /// <summary>504: the provider did not answer within connectors' deadline.</summary>
    Timeout,
    Failed,
}

public sealed record ConnectorResult<T>(T? Value, ConnectorFailure Failure, string? Message, TimeSpan? RetryAfter = null)
    where T : class
{
    public bool Succeeded => Failure == ConnectorFailure.None && Value is not null;
}

/// <summary>
/// The internal connectors API (ConnectorContract.cs). Every call carries a fresh internal assertion naming the
/// validated user; the user's own token never leaves this service.
/// </summary>
public sealed class ConnectorClient(HttpClient http, InternalAssertion assertion)
{
    public Task<ConnectorResult<SourceList>> GetSourcesAsync(InternalPrincipal principal, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, ConnectorRoutes.Sources), principal, ConnectorJsonContext.Default.SourceList, cancellationToken);

    public Task<ConnectorResult<ConnectionList>> GetConnectionsAsync(InternalPrincipal principal, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, ConnectorRoutes.Connections), principal, ConnectorJsonContext.Default.ConnectionList, cancellationToken);

    public Task<ConnectorResult<SearchResponse>> SearchAsync(string source, SearchRequest request, InternalPrincipal principal, CancellationToken cancellationToken)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, ConnectorRoutes.Search(source))
        {
            Content = JsonContent.Create(request, ConnectorJsonContext.Default.SearchRequest),
        };
        // A search is a read that travels as POST only to carry its body: retrying it is safe.
        message.Options.Set(HttpResiliencePolicy.RetryNonIdempotent, true);
        return SendAsync(message, principal, ConnectorJsonContext.Default.SearchResponse, cancellationToken);
    }

    public Task<ConnectorResult<DocumentRange>> GetDocumentAsync(string id, int offset, int maxChars, InternalPrincipal principal, CancellationToken cancellationToken)
    {
        var query = string.Create(CultureInfo.InvariantCulture, $"?id={Uri.EscapeDataString(id)}&offset={offset}&max_chars={maxChars}");
        return SendAsync(new HttpRequestMessage(HttpMethod.Get, ConnectorRoutes.Documents + query), principal, ConnectorJsonContext.Default.DocumentRange, cancellationToken);
    }

    /// <summary>
    /// True for an answer in which connectors reports a source's state (not connected, rate limited by its provider,
    /// paused, provider failure or timeout) as problem details: a verdict about one source, which sending again would not change and which says
    /// nothing about whether connectors itself is healthy.
    /// </summary>
    public static bool IsSourceVerdict(HttpResponseMessage? response) =>
        response is { StatusCode: HttpStatusCode.Conflict or HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout }
        && response.Content.Headers.ContentType?.MediaType == "application/problem+json";

    private async Task<ConnectorResult<T>> SendAsync<T>(HttpRequestMessage request, InternalPrincipal principal, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        using (request)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", assertion.Create(principal));
            HttpResponseMessage sent;
            try
            {
                sent = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            }
            catch (ExecutionRejectedException e)
            {
                // The resilience pipeline refused the call (its circuit to connectors is open, or its own deadline passed):
                // to every caller that is connectors being unreachable, which each already answers in its own words.
                throw new HttpRequestException($"The connectors service is not being called: {e.Message}", e);
            }
            using var response = sent;
            if (response.IsSuccessStatusCode)
            {
                var value = await response.Content.ReadFromJsonAsync(type, cancellationToken);
                return value is null
                    ? new(null, ConnectorFailure.Failed, "The connectors service answered with an empty body.")
                    : new(value, ConnectorFailure.None, null);
            }

            var detail = await ReadProblemDetailAsync(response, cancellationToken);
            var failure = response.StatusCode switch
            {
                HttpStatusCode.BadRequest => ConnectorFailure.BadRequest,
                HttpStatusCode.Unauthorized => ConnectorFailure.Unauthorized,
                HttpStatusCode.Forbidden => ConnectorFailure.Forbidden,
                HttpStatusCode.NotFound => ConnectorFailure.NotFound,
                HttpStatusCode.Conflict => ConnectorFailure.NotConnected,
                HttpStatusCode.TooManyRequests => ConnectorFailure.RateLimited,
                HttpStatusCode.ServiceUnavailable => ConnectorFailure.Paused,
                HttpStatusCode.GatewayTimeout => ConnectorFailure.Timeout,
                _ => ConnectorFailure.Failed,
            };
            var retryAfter = response.Headers.RetryAfter switch
            {
                { Delta: { } delta } => delta,
                { Date: { } date } => date - DateTimeOffset.UtcNow,
                _ => (TimeSpan?)null,
            };
            return new(null, failure, detail ?? $"The connectors service answered {(int)response.StatusCode} {response.ReasonPhrase}.", retryAfter);
        }
    }

    // RFC 9457 problem details: "detail" says what went wrong for this request, "title" for the kind of problem.
    private static async Task<string?> ReadProblemDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentType?.MediaType is not ("application/problem+json" or "application/json"))
        {
            return null;
        }
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            foreach (var name in (ReadOnlySpan<string>)["detail", "title"])
            {
                if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
                {
                    return text;
                }
            }
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
