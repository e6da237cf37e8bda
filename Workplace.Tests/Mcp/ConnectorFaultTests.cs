using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Workplace.Connectors.Sources;
using Workplace.Tests.Auth;

namespace Workplace.Tests.Mcp;

/// <summary>
/// Sources inside the real Connectors app that fail as provider-backed sources do: Drive rate limiting (429 with
/// Retry-After), Notion failing (502 problem details). SharePoint has no connector deployed (404 unknown source: not_deployed).
/// </summary>
public sealed class FailingSourcesGraph() : ScriptedConnectorsGraph(
[
    ScriptedSource.Failing("google_drive", SourceFailure.RateLimited, "Drive quota exhausted for this user.", TimeSpan.FromSeconds(20)),
    ScriptedSource.Failing("notion", SourceFailure.ProviderFailure, "Notion answered 500."),
]);

public sealed class ConnectorFaultTests(FailingSourcesGraph graph) : IClassFixture<FailingSourcesGraph>
{
    [Fact]
    public async Task Each_failing_source_gets_its_own_status_and_a_message_saying_what_to_do()
    {
        await using var client = await McpClientSession.ConnectAsync(graph.McpApi, "2026-07-28");

        var result = await client.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = "roadmap", ["sources"] = new[] { "google_drive", "notion", "sharepoint" } });

        Assert.NotEqual(true, result.IsError);
        var statuses = result.StructuredContent!.Value.GetProperty("sources").EnumerateArray()
            .ToDictionary(s => s.GetProperty("source").GetString()!, s => (Status: s.GetProperty("status").GetString(), Message: s.GetProperty("message").GetString()!));
        Assert.Equal("rate_limited", statuses["google_drive"].Status);
        Assert.Contains("retry in 20 s", statuses["google_drive"].Message, StringComparison.Ordinal);
        Assert.Contains("Drive quota exhausted", statuses["google_drive"].Message, StringComparison.Ordinal);
        Assert.Equal("error", statuses["notion"].Status);
        Assert.Contains("Notion answered 500.", statuses["notion"].Message, StringComparison.Ordinal);
        Assert.Equal("not_deployed", statuses["sharepoint"].Status);
        Assert.Contains("ask the server's operator to enable sharepoint", statuses["sharepoint"].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failed_searches_are_not_cached()
    {
        await using var client = await McpClientSession.ConnectAsync(graph.McpApi, "2026-07-28");
        var arguments = new Dictionary<string, object?> { ["query"] = "cache me not", ["sources"] = new[] { "notion" } };
        var notion = graph.Source("notion");

        var before = notion.Searches;
        await client.CallToolAsync("search", arguments);
        var afterFirst = notion.Searches;
        var second = await client.CallToolAsync("search", arguments);

        Assert.Equal("error", second.StructuredContent!.Value.GetProperty("sources")[0].GetProperty("status").GetString());
        // The second call reached the source as often as the first (attempt plus any retry): it was not served from the cache.
        Assert.True(afterFirst > before, "The first search never reached the source.");
        Assert.Equal(afterFirst - before, notion.Searches - afterFirst);
    }
}

/// <summary>An outage of connectors under repeated searches: one line for it, not one per search or per retry.</summary>
public sealed class SourceOutageLogTests
{
    [Fact]
    public async Task Unreachable_connectors_are_reported_once_per_interval_and_retries_log_nothing()
    {
        // McpApiFactory's connectors address is a loopback port nothing listens on: every attempt is refused (and retried).
        await using var mcpApi = new LoggedMcpApi();
        await using var client = await McpClientSession.ConnectAsync(mcpApi, "2026-07-28");

        for (var i = 0; i < 10; i++)
        {
            var result = await client.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = $"outage {i}", ["sources"] = new[] { "files" } });
            Assert.Equal("error", result.StructuredContent!.Value.GetProperty("sources")[0].GetProperty("status").GetString());
        }

        var warnings = mcpApi.Logs.Lines
            .Where(l => l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal))
            .ToList();
        Assert.Single(warnings, l => l.Contains("Search in files failed", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, l => l.Contains(" Polly:", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, l => l.Contains("   at ", StringComparison.Ordinal));
    }

    private sealed class LoggedMcpApi : McpApiFactory
    {
        public CapturedLogs Logs { get; } = new();

        protected override void ConfigureTestHost(IWebHostBuilder builder) =>
            builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(Logs));
    }
}
