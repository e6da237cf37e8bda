using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.CircuitBreaker;
using Workplace.McpApi.Search;
using Workplace.ServiceDefaults.ConnectorApi;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Mcp;

/// <summary>What mcpapi's callers see when the resilience pipeline to connectors refuses a call instead of sending it.</summary>
public sealed class ConnectorCircuitTests
{
    [Fact]
    public async Task An_open_circuit_to_connectors_reads_as_connectors_unreachable()
    {
        // Arrange: a real connectors-shaped server that would answer, behind a pipeline whose circuit is open.
        var requests = 0;
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet(ConnectorRoutes.Documents, () =>
        {
            Interlocked.Increment(ref requests);
            return new DocumentRange("files:x", "files", "X", "https://x", DateTimeOffset.UnixEpoch, null, "text", 0, 4, null, false);
        }));
        var control = new CircuitBreakerManualControl();
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage> { ManualControl = control })
            .Build();
        using var http = new HttpClient(new ResilienceHandler(pipeline) { InnerHandler = new HttpClientHandler() }) { BaseAddress = server.BaseAddress };
        var client = new ConnectorClient(http, new InternalAssertion(Convert.ToBase64String(new byte[32])));
        var principal = new InternalPrincipal("user", new HashSet<string> { "files" });
        Assert.True((await client.GetDocumentAsync("files:x", 0, 10, principal, CancellationToken.None)).Succeeded);

        // Act
        await control.IsolateAsync();
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetDocumentAsync("files:x", 0, 10, principal, CancellationToken.None));

        // Assert: the exception every caller already answers as "connectors is unreachable", carrying Polly's reason.
        Assert.IsAssignableFrom<BrokenCircuitException>(refused.InnerException);
        Assert.Equal(1, requests);
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.InternalServerError, false)]
    public void A_providers_verdict_on_one_source_does_not_count_against_connectors(HttpStatusCode status, bool verdict)
    {
        using var response = new HttpResponseMessage(status) { Content = new StringContent("{}", null, "application/problem+json") };
        Assert.Equal(verdict, ConnectorClient.IsSourceVerdict(response));
    }
}
