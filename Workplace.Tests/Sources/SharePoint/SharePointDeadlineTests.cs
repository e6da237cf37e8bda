using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Workplace.Emulators.Faults;
using Workplace.Emulators.Graph;
using Workplace.Tests.Connectors;

namespace Workplace.Tests.Sources.SharePoint;

/// <summary>A Graph that never answers, behind the standard resilience handler with short deadlines.</summary>
[Collection(ConnectorsCollection.Name)]
public sealed class SharePointDeadlineTests(SharePointDeadlineTests.ShortDeadlines fixture) : IClassFixture<SharePointDeadlineTests.ShortDeadlines>
{
    [Fact]
    public async Task AHungGraph_IsATimeout_WithinTheDeadline()
    {
        fixture.Emulators.Faults.Add(GraphEmulator.Provider, new Fault(FaultKind.Hang, User: "aditi"));
        try
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await fixture.FetchAsync("aditi", fixture.IdOf("Platform SLA.html"));

            Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
            Assert.Contains("did not answer within 2 s", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(20), "the total request timeout (2 s) bounds the wait");
        }
        finally
        {
            fixture.Emulators.Faults.Clear(GraphEmulator.Provider);
        }
    }

    public sealed class ShortDeadlines : SharePointFixture
    {
        protected override IEnumerable<(string Key, string? Value)> MoreSettings =>
        [
            ("HttpResilience:Clients:sharepoint-graph:AttemptTimeout:Timeout", "00:00:01"),
            ("HttpResilience:Clients:sharepoint-graph:TotalRequestTimeout:Timeout", "00:00:02"),
        ];
    }
}
