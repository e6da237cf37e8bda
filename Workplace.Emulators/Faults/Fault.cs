using System.Text.Json.Serialization;

namespace Workplace.Emulators.Faults;

/// <summary>What an emulator does instead of answering, each provider in its own error shape.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FaultKind>))]
public enum FaultKind
{
    /// <summary>429 with Retry-After (<see cref="Fault.RetryAfterSeconds"/>).</summary>
    RateLimited,

    /// <summary>The provider's own "slow down" that is not a 429: Google's 403 rateLimitExceeded, Notion's 529.</summary>
    ProviderThrottled,

    /// <summary>A 5xx (<see cref="Fault.Status"/>, default 503).</summary>
    ServerError,

    /// <summary>The answer leaves <see cref="Fault.LatencyMs"/> milliseconds after the request came in (<see cref="FaultLatency"/>).</summary>
    Latency,

    /// <summary>No answer until the client gives up.</summary>
    Hang,

    /// <summary>A malformed body with a 200.</summary>
    MalformedJson,

    /// <summary>Every access token is refused as expired (401); refresh still works.</summary>
    ExpiredToken,

    /// <summary>The grant is revoked: access tokens are refused and refresh answers invalid_grant.</summary>
    RevokedGrant,
}

/// <param name="Kind">What happens.</param>
/// <param name="Count">How many requests it applies to; null: until cleared.</param>
/// <param name="Status">For <see cref="FaultKind.ServerError"/>.</param>
/// <param name="RetryAfterSeconds">For <see cref="FaultKind.RateLimited"/> and <see cref="FaultKind.ProviderThrottled"/>.</param>
/// <param name="LatencyMs">For <see cref="FaultKind.Latency"/>.</param>
/// <param name="User">Only this user's requests (an <see cref="Workspace.EmulatedUser.Id"/>); null: everyone's.</param>
public sealed record Fault(FaultKind Kind, int? Count = null, int? Status = null, int? RetryAfterSeconds = null, int? LatencyMs = null, string? User = null);

/// <summary>A provider's own rate limit, as the emulator enforces it when a test sets one: beyond it, the provider's 429.</summary>
/// <param name="RequestsPerSecond">The sustained rate, across users, as a provider counts per app or integration.</param>
/// <param name="Burst">How many requests may come at once.</param>
public sealed record Quota(double RequestsPerSecond, int Burst);

/// <summary>What a <see cref="Quota"/> did since it was set.</summary>
/// <param name="Admitted">Requests it let through.</param>
/// <param name="Refused">Requests answered with the provider's 429.</param>
public sealed record QuotaStats(long Admitted, long Refused);
