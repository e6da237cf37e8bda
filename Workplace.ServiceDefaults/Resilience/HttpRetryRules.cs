using System.ComponentModel.DataAnnotations;

namespace Workplace.ServiceDefaults.Resilience;

/// <summary>
/// What the standard resilience handler lacks, bound from the same sections as its options
/// (<c>HttpResilience:*</c>, then <c>HttpResilience:Clients:&lt;client name&gt;:*</c>).
/// </summary>
public sealed class HttpRetryRules
{
    /// <summary>The longest Retry-After that is waited out; a longer one is handed back to the caller unretried.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);
}
