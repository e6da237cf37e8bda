using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Workplace.ServiceDefaults.Resilience;

namespace Workplace.Connectors.Sources.Providers;

/// <summary>What the provider client's pipeline throws, as the failure a source reports: the same for every source.</summary>
public static class ProviderFailures
{
    /// <summary>
    /// The <see cref="SourceRequestException"/> for <paramref name="exception"/> thrown by a client set up with
    /// <see cref="ProviderResilience.AddProviderResilience"/>; null for anything else (the caller's own cancellation
    /// included), which the source lets through. Use as <c>catch (Exception e) when (ProviderFailures.Translate(e, Title) is { } failure) { throw failure; }</c>.
    /// </summary>
    public static SourceRequestException? Translate(Exception exception, string sourceTitle)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            SourceRequestException known => known,
            BrokenCircuitException broken => new SourceRequestException(SourceFailure.Unavailable,
                $"{sourceTitle} is paused after repeated failures{Within(broken.RetryAfter)}; the other sources still answer.", broken.RetryAfter, exception),
            TimeoutRejectedException timeout => new SourceRequestException(SourceFailure.Timeout,
                string.Create(CultureInfo.InvariantCulture, $"{sourceTitle} did not answer within {timeout.Timeout.TotalSeconds:0.#} s. Try again later, or narrow the query."), inner: exception),
            // HttpClient.Timeout, when it is shorter than the pipeline's own deadlines.
            TaskCanceledException { InnerException: TimeoutException } => new SourceRequestException(SourceFailure.Timeout,
                $"{sourceTitle} did not answer in time. Try again later, or narrow the query.", inner: exception),
            HttpRequestException http => new SourceRequestException(SourceFailure.ProviderFailure, $"{sourceTitle} could not be reached: {Describe(http)}", inner: exception),
            _ => null,
        };
    }

    /// <summary>
    /// RateLimited for a provider's answer that still asks to slow down once the pipeline has retried it (a 429, Notion's
    /// 529, Google's rate-limit 403, or a Retry-After longer than is waited out), with the wait the provider asked for;
    /// null for any other answer, which the source reads itself.
    /// </summary>
    public static async ValueTask<SourceRequestException?> ThrottledAsync(HttpResponseMessage response, string source, string sourceTitle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.StatusCode != HttpStatusCode.TooManyRequests && (int)response.StatusCode != 529
            && !await ProviderProfile.For(source).IsThrottled(response, cancellationToken))
        {
            return null;
        }
        return Throttled(sourceTitle, HttpResiliencePolicy.RetryAfter(response, DateTimeOffset.UtcNow));
    }

    /// <summary>
    /// RateLimited for a provider that asked to slow down, with the wait it asked for: for a source that sees the answer
    /// only through its SDK's exception, where <see cref="ThrottledAsync"/> cannot read the response.
    /// </summary>
    public static SourceRequestException Throttled(string sourceTitle, TimeSpan? retryAfter)
    {
        var when = retryAfter is { } wait
            ? string.Create(CultureInfo.InvariantCulture, $"in {Math.Max(1, Math.Ceiling(wait.TotalSeconds)):0} s")
            : "in a minute";
        return new SourceRequestException(SourceFailure.RateLimited, $"{sourceTitle} asks this service to slow down (its rate limit). Try again {when}.", retryAfter);
    }

    private static string Within(TimeSpan? retryAfter) =>
        retryAfter is { } wait ? string.Create(CultureInfo.InvariantCulture, $" and is tried again in {Math.Max(1, Math.Ceiling(wait.TotalSeconds)):0} s") : "";

    // The message of an HttpRequestException names the host and port; the kind of failure is what the user can act on.
    private static string Describe(HttpRequestException http) => http.HttpRequestError switch
    {
        HttpRequestError.NameResolutionError => "its host name does not resolve. Check the source's BaseUrl and this service's DNS.",
        HttpRequestError.ConnectionError when http.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused }
            => "it refused the connection. Check the source's BaseUrl, or try again once the provider is back.",
        HttpRequestError.ConnectionError => "the connection failed. Try again later; if it persists, check the network path to the provider.",
        HttpRequestError.SecureConnectionError => "the TLS handshake failed. Check the provider's certificate and this service's trusted roots.",
        HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse => "the connection closed before a whole answer came. Try again.",
        HttpRequestError.ProxyTunnelError => "the proxy refused the tunnel. Check the proxy settings.",
        _ => "the request failed on the way. Try again later.",
    };
}
