using System.ComponentModel.DataAnnotations;

namespace Workplace.Connectors.Sources.Providers;

/// <summary>
/// How many requests all replicas together send a provider (<c>Sources:{Name}:Budget</c>): a token bucket refilling at
/// <see cref="RequestsPerSecond"/> up to <see cref="Burst"/>, and, where the provider also counts per user, one per
/// user (<see cref="UserRequestsPerSecond"/>, <see cref="UserBurst"/>), charged in the same Redis call. A request
/// finding either empty waits up to <see cref="MaxWait"/> for its turn, and is refused as rate limited beyond that.
/// </summary>
public sealed class ProviderBudgetOptions
{
    public const string Section = "Budget";

    [Range(0.01, 100_000)]
    public double RequestsPerSecond { get; set; }

    [Range(1, 100_000)]
    public int Burst { get; set; }

    /// <summary>Each user's own rate; null: the provider counts no per-user quota here, only the provider's bucket applies.</summary>
    [Range(0.01, 100_000)]
    public double? UserRequestsPerSecond { get; set; }

    /// <summary>Each user's burst; with <see cref="UserRequestsPerSecond"/> (default <see cref="Burst"/>).</summary>
    [Range(1, 100_000)]
    public int? UserBurst { get; set; }

    // A wait happens inside the attempt: it must leave the request time within the attempt timeout.
    [Range(typeof(TimeSpan), "00:00:00", "00:00:03")]
    public TimeSpan MaxWait { get; set; }
}
