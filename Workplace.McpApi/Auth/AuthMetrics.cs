using System.Diagnostics.Metrics;

namespace Workplace.McpApi.Auth;

/// <summary>Meter <c>Workplace.McpApi.Auth</c>: refused tokens, refused scopes, rate-limit hits.</summary>
public sealed class AuthMetrics
{
    public const string MeterName = "Workplace.McpApi.Auth";

    private readonly Counter<long> _failures;
    private readonly Counter<long> _scopeRefusals;
    private readonly Counter<long> _rateLimited;

    public AuthMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _failures = meter.CreateCounter<long>("workplace.auth.failures", "{request}", "Requests refused with 400/401, by reason.");
        _scopeRefusals = meter.CreateCounter<long>("workplace.auth.scope_refusals", "{request}", "Requests refused with 403 insufficient_scope, by missing scope.");
        _rateLimited = meter.CreateCounter<long>("workplace.auth.rate_limited", "{request}", "Requests refused with 429, by limit (user, global) and store (redis, memory).");
    }

    public void Failed(string reason) => _failures.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void ScopeRefused(string scope) => _scopeRefusals.Add(1, new KeyValuePair<string, object?>("scope", scope));

    public void RateLimited(string limit, string store) =>
        _rateLimited.Add(1, new KeyValuePair<string, object?>("limit", limit), new KeyValuePair<string, object?>("store", store));
}
