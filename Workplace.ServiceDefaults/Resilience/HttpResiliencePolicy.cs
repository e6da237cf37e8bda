using System.Net;
using System.Net.Sockets;
using Polly;

namespace Workplace.ServiceDefaults.Resilience;

/// <summary>Which requests may be sent again, and how long a server asked us to wait.</summary>
public static class HttpResiliencePolicy
{
    /// <summary>
    /// Set on a request whose method is not idempotent but whose handler is (a read-only search sent as POST, a PUT-like
    /// upsert): the handler then retries it like a GET.
    /// </summary>
    public static readonly HttpRequestOptionsKey<bool> RetryNonIdempotent = new("Workplace.Resilience.RetryNonIdempotent");

    // A retry sends the request again. That is safe when
    //  - the method is idempotent (RFC 9110 §9.2.2: GET, HEAD, OPTIONS, TRACE, PUT, DELETE): a repeat has the same effect;
    //  - the caller marked the request with RetryNonIdempotent because its handler is idempotent;
    //  - the server answered 429: it refused the request without acting on it;
    //  - the connection was refused: not a byte of the request reached the server.
    // Anything else (a POST answered 503, a POST timing out mid-flight) may already have taken effect: not retried.
    public static bool IsSafeToRetry(HttpRequestMessage request, Outcome<HttpResponseMessage> outcome)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (IsIdempotent(request.Method)
            || (request.Options.TryGetValue(RetryNonIdempotent, out var marked) && marked))
        {
            return true;
        }
        return outcome switch
        {
            { Result.StatusCode: HttpStatusCode.TooManyRequests } => true,
            { Exception: HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } } } => true,
            _ => false,
        };
    }

    public static bool IsIdempotent(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options
        || method == HttpMethod.Trace || method == HttpMethod.Put || method == HttpMethod.Delete;

    /// <summary>The wait a 429/503 asks for in Retry-After, as seconds or as an HTTP-date; null when absent.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage? response, DateTimeOffset now)
    {
        var header = response?.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }
        if (header?.Date is { } date)
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }
}
