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
}

/// <summary>
/// A request a source cannot answer. The message is shown to the caller, so it names what went wrong and
/// what to do, and never carries secrets or server paths.
/// </summary>
public sealed class SourceRequestException(SourceFailure failure, string message, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public SourceFailure Failure { get; } = failure;

    /// <summary>For <see cref="SourceFailure.RateLimited"/>: when the provider allows the next call.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
