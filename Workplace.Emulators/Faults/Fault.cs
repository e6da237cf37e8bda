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

    /// <summary>The answer comes after <see cref="Fault.LatencyMs"/> more milliseconds.</summary>
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
