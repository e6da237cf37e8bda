using System.ComponentModel.DataAnnotations;

namespace Workplace.Connectors.Sources.Providers;

/// <summary>
/// How many requests all replicas together send a provider (<c>Sources:{Name}:Budget</c>): a token bucket refilling at
/// <see cref="RequestsPerSecond"/> up to <see cref="Burst"/>. A request finding it empty waits up to
/// <see cref="MaxWait"/> for its turn, and is refused as rate limited beyond that.
/// </summary>
public sealed class ProviderBudgetOptions
{
    public const string Section = "Budget";

    [Range(0.01, 100_000)]
    public double RequestsPerSecond { get; set; }

    [Range(1, 100_000)]
    public int Burst { get; set; }

    // A wait happens inside the attempt: it must leave the request time within the attempt timeout.
    [Range(typeof(TimeSpan), "00:00:00", "00:00:03")]
    public TimeSpan MaxWait { get; set; }
}
