using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Workplace.McpApi.Search;

/// <summary>Ready only when the connectors service answers its own liveness endpoint.</summary>
internal sealed class ConnectorsHealthCheck(IHttpClientFactory httpClientFactory) : IHealthCheck
{
    public const string HttpClientName = "connectors-health";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var http = httpClientFactory.CreateClient(HttpClientName);
        var alive = new Uri(ConnectorClientOptions.BaseAddress, "/alive");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            using var response = await http.GetAsync(alive, timeout.Token);
            return response.IsSuccessStatusCode
                ? HealthCheckResult.Healthy($"{alive} answered {(int)response.StatusCode}.")
                : HealthCheckResult.Unhealthy($"{alive} answered {(int)response.StatusCode}.");
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{alive} is unreachable.", e);
        }
    }
}
