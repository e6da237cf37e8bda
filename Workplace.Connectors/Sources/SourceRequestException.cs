namespace Workplace.Connectors.Sources;

/// <summary>What went wrong in a source, in terms the API maps onto an HTTP status (ConnectorContract.cs).</summary>
public enum SourceFailure
{
    InvalidRequest,
    InvalidId,
    NotFound,
    RangeOutOfBounds,
    RateLimited,
    ProviderFailure,
    /// <summary>The user has no usable grant for the source (never connected, or revoked): connect it.</summary>
    NotConnected,
    /// <summary>The source is paused after repeated provider failures (its circuit is open) until <see cref="SourceRequestException.RetryAfter"/>.</summary>
    Unavailable,
    /// <summary>The provider did not answer within the source's deadline.</summary>
    Timeout,
}

/// <summary>
/// A request a source cannot answer. The message is shown to the caller, so it names what went wrong and
/// what to do, and never carries secrets or server paths.
/// </summary>
public sealed class SourceRequestException(SourceFailure failure, string message, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public SourceFailure Failure { get; } = failure;

    /// <summary>For <see cref="SourceFailure.RateLimited"/> and <see cref="SourceFailure.Unavailable"/>: when the next call may succeed.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
