using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Workplace.ServiceDefaults.Resilience;

/// <summary>
/// The resilience of one named HttpClient. Defaults follow Microsoft.Extensions.Http.Resilience's standard handler.
/// Bound from <c>HttpResilience:*</c>, then <c>HttpResilience:Clients:&lt;client name&gt;:*</c> overrides per client.
/// </summary>
public sealed class HttpResilienceOptions
{
    public const string SectionName = "HttpResilience";
    public const string ClientsSectionName = "Clients";

    /// <summary>The whole call, every attempt and every wait between attempts included.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>One attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after the first attempt; 0 turns retrying off.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first backoff; it doubles per retry, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>No backoff grows beyond this.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest Retry-After that is waited out; a longer one is handed back to the caller unretried.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The breaker opens when this share of calls in the sampling window failed…</summary>
    public double FailureRatio { get; set; } = 0.1;

    /// <summary>…and at least this many calls were made in it.</summary>
    public int MinimumThroughput { get; set; } = 100;

    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open breaker rejects calls before letting one through to probe.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}

// Named options: the name is the HttpClient's name ("" for the default client).
internal sealed class ConfigureHttpResilienceOptions(IConfiguration configuration) : IConfigureNamedOptions<HttpResilienceOptions>
{
    public void Configure(HttpResilienceOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, HttpResilienceOptions options)
    {
        var section = configuration.GetSection(HttpResilienceOptions.SectionName);
        section.Bind(options);
        if (!string.IsNullOrEmpty(name))
        {
            section.GetSection(HttpResilienceOptions.ClientsSectionName).GetSection(name).Bind(options);
        }
    }
}

// The bounds Polly enforces, checked at start with messages that name the setting to fix.
internal sealed class ValidateHttpResilienceOptions : IValidateOptions<HttpResilienceOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpResilienceOptions options)
    {
        var prefix = string.IsNullOrEmpty(name)
            ? HttpResilienceOptions.SectionName
            : $"{HttpResilienceOptions.SectionName}:{HttpResilienceOptions.ClientsSectionName}:{name}";
        var failures = new List<string>();
        void Require(bool condition, string setting, object value, string rule)
        {
            if (!condition)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{prefix}:{setting} is {value}; it must be {rule}."));
            }
        }

        var tenMs = TimeSpan.FromMilliseconds(10);
        var halfSecond = TimeSpan.FromMilliseconds(500);
        var day = TimeSpan.FromDays(1);
        Require(options.AttemptTimeout >= tenMs && options.AttemptTimeout <= day, nameof(options.AttemptTimeout), options.AttemptTimeout, "between 00:00:00.010 and 1.00:00:00");
        Require(options.TotalTimeout >= tenMs && options.TotalTimeout <= day, nameof(options.TotalTimeout), options.TotalTimeout, "between 00:00:00.010 and 1.00:00:00");
        Require(options.TotalTimeout >= options.AttemptTimeout, nameof(options.TotalTimeout), options.TotalTimeout, $"at least AttemptTimeout ({options.AttemptTimeout})");
        Require(options.MaxRetryAttempts is >= 0 and <= 10, nameof(options.MaxRetryAttempts), options.MaxRetryAttempts, "between 0 and 10");
        Require(options.RetryBaseDelay >= TimeSpan.Zero && options.RetryBaseDelay <= day, nameof(options.RetryBaseDelay), options.RetryBaseDelay, "between 00:00:00 and 1.00:00:00");
        Require(options.RetryMaxDelay >= options.RetryBaseDelay && options.RetryMaxDelay <= day, nameof(options.RetryMaxDelay), options.RetryMaxDelay, $"at least RetryBaseDelay ({options.RetryBaseDelay}) and at most 1.00:00:00");
        Require(options.MaxRetryAfter >= TimeSpan.Zero && options.MaxRetryAfter <= day, nameof(options.MaxRetryAfter), options.MaxRetryAfter, "between 00:00:00 and 1.00:00:00");
        Require(options.FailureRatio is > 0 and <= 1, nameof(options.FailureRatio), options.FailureRatio, "greater than 0 and at most 1");
        Require(options.MinimumThroughput >= 2, nameof(options.MinimumThroughput), options.MinimumThroughput, "at least 2");
        Require(options.SamplingDuration >= halfSecond && options.SamplingDuration <= day, nameof(options.SamplingDuration), options.SamplingDuration, "between 00:00:00.500 and 1.00:00:00");
        Require(options.BreakDuration >= halfSecond && options.BreakDuration <= day, nameof(options.BreakDuration), options.BreakDuration, "between 00:00:00.500 and 1.00:00:00");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
