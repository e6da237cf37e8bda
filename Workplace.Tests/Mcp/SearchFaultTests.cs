using System.Diagnostics;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Mcp;

/// <summary>Sources inside the real Connectors app that never answer: mcpapi's per-source deadline must end the wait.</summary>
public sealed class HangingSourcesGraph() : ScriptedConnectorsGraph(
    [ScriptedSource.Hanging("google_drive"), ScriptedSource.Hanging("notion")],
    ("Search:PerSourceTimeout", "00:00:00.500"));

/// <summary>mcpapi whose Redis is configured but down from the start: a loopback port nothing listens on.</summary>
public sealed class RedisDownGraph() : ScriptedConnectorsGraph(
    [ScriptedSource.Answering("notion")],
    ("ConnectionStrings:cache", $"127.0.0.1:{RedisServer.FreeLoopbackPort()}"));

public sealed class SearchTimeoutTests(HangingSourcesGraph graph) : IClassFixture<HangingSourcesGraph>
{
    [Fact]
    public async Task A_source_that_does_not_answer_is_reported_as_timeout_within_the_deadline()
    {
        await using var client = await McpClientSession.ConnectAsync(graph.McpApi, "2026-07-28");
        var clock = Stopwatch.StartNew();

        var result = await client.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = "roadmap", ["sources"] = new[] { "google_drive", "notion" } });

        clock.Stop();
        Assert.NotEqual(true, result.IsError);
        var sources = result.StructuredContent!.Value.GetProperty("sources").EnumerateArray().ToList();
        Assert.Equal(2, sources.Count);
        Assert.All(sources, s => Assert.Equal("timeout", s.GetProperty("status").GetString()));
        Assert.All(sources, s => Assert.Contains("did not answer within 0.5 s", s.GetProperty("message").GetString(), StringComparison.Ordinal));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"Sources are searched in parallel under one deadline; the call took {clock.Elapsed}.");
    }
}

public sealed class SearchWithoutRedisTests(RedisDownGraph graph) : IClassFixture<RedisDownGraph>
{
    [Fact]
    public async Task Search_answers_when_the_cache_is_down()
    {
        await using var client = await McpClientSession.ConnectAsync(graph.McpApi, "2026-07-28");
        var notion = graph.Source("notion");
        var arguments = new Dictionary<string, object?> { ["query"] = "roadmap while redis is down", ["sources"] = new[] { "notion" } };

        var before = notion.Searches;
        var first = await client.CallToolAsync("search", arguments);
        var second = await client.CallToolAsync("search", arguments);
        const int underLoad = 40;
        var more = await Task.WhenAll(Enumerable.Range(0, underLoad).Select(i =>
            client.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = $"load {i}", ["sources"] = new[] { "notion" } }).AsTask()));
        var probe = Stopwatch.StartNew();
        var health = await graph.HealthAsync();
        probe.Stop();

        Assert.All([first, second, .. more], r => Assert.Equal("ok", r.StructuredContent!.Value.GetProperty("sources")[0].GetProperty("status").GetString()));
        Assert.IsType<TextContentBlock>(first.Content[0]);
        // Uncached: the identical second search reached the source again.
        Assert.Equal(2 + underLoad, notion.Searches - before);
        Assert.Equal((200, "Degraded"), (health.Code, health.Status));
        Assert.Equal("Degraded", health.Checks["redis"]);
        Assert.Equal("Healthy", health.Checks["connectors"]);
        // Commands fail fast while disconnected, so the check does not wait out Redis's 5 s timeout: a readiness probe
        // (Kubernetes gives it 1 s by default) gets its answer.
        Assert.True(probe.Elapsed < TimeSpan.FromSeconds(3), $"/health took {probe.Elapsed} with Redis down.");
        // One line for the outage, not one per search, and no stack trace per request. StackExchange.Redis's own
        // reconnect loop reports each failed attempt (about one a second, whatever the load): those are not counted here.
        var ours = graph.Logs.Lines
            .Where(l => l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal))
            .Where(l => !l.Contains(" StackExchange.Redis.", StringComparison.Ordinal))
            .ToList();
        Assert.Single(ours, l => l.Contains("The search cache is unavailable", StringComparison.Ordinal));
        Assert.True(ours.Count <= 3, $"{ours.Count} warnings for {2 + underLoad} searches:\n{string.Join('\n', ours)}");
        Assert.DoesNotContain(ours, l => l.Contains("   at ", StringComparison.Ordinal));
    }
}

/// <summary>A real redis-server stopped under a running mcpapi and started again on the same port.</summary>
public sealed class SearchCacheRecoveryTests
{
    private static readonly TimeSpan s_reconnect = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Redis_stopped_then_started_again_on_the_same_port_caches_again_without_a_restart()
    {
        var redis = await RedisServer.StartAsync();
        var port = redis.Port;
        await using var graph = new ScriptedConnectorsGraph([ScriptedSource.Answering("notion")], ("ConnectionStrings:cache", redis.ConnectionString));
        await graph.InitializeAsync();
        await using var client = await McpClientSession.ConnectAsync(graph.McpApi, "2026-07-28");
        var notion = graph.Source("notion");

        Assert.Equal(1, await SearchesReachingTheSourceAsync(client, notion, "cached while up"));
        // HybridCache writes its Redis tier behind the answer, not before it: wait for the write.
        await Poll.UntilAsync(async () => await redis.KeyCountAsync() > 0, s_reconnect, "the answer to reach Redis (HybridCache's L2)");

        await redis.DisposeAsync();
        await Poll.UntilAsync(async () => (await graph.HealthAsync()).Checks["redis"] == "Degraded", s_reconnect, "health to report Redis down");
        Assert.Equal(2, await SearchesReachingTheSourceAsync(client, notion, "uncached while down"));

        await using var restarted = await RedisServer.StartAsync(port);
        await Poll.UntilAsync(async () => (await graph.HealthAsync()).Status == "Healthy", s_reconnect, "mcpapi to reconnect to Redis");
        Assert.Equal(1, await SearchesReachingTheSourceAsync(client, notion, "cached again"));
        await Poll.UntilAsync(async () => await restarted.KeyCountAsync() > 0, s_reconnect, "the answer to reach the restarted Redis");
    }

    [Fact]
    public async Task A_replica_answers_from_what_another_replica_cached_in_Redis()
    {
        await using (var redis = await RedisServer.StartAsync())
        {
            await using var graph = new ScriptedConnectorsGraph([ScriptedSource.Answering("notion")], ("ConnectionStrings:cache", redis.ConnectionString));
            await graph.InitializeAsync();
            var replica = graph.StartReplica();
            await using var a = await McpClientSession.ConnectAsync(graph.McpApi, "2026-07-28");
            await using var b = await McpClientSession.ConnectAsync(replica, "2026-07-28");
            var notion = graph.Source("notion");
            var arguments = new Dictionary<string, object?> { ["query"] = "shared between replicas", ["sources"] = new[] { "notion" } };

            var first = await a.CallToolAsync("search", arguments);
            // HybridCache writes its Redis tier behind the answer: B can only find what has landed.
            await Poll.UntilAsync(async () => await redis.KeyCountAsync() > 0, TimeSpan.FromSeconds(30), "A's answer to reach Redis");
            // B connects to Redis in the background; a search before that is a miss that goes to the source.
            await Poll.UntilAsync(async () => (await graph.HealthAsync(replica)).Checks["redis"] == "Healthy", TimeSpan.FromSeconds(30), "replica B to connect to Redis");
            var second = await b.CallToolAsync("search", arguments);

            // Same user (same issuer and subject) on both replicas: B's in-process cache is empty, so the hit is Redis's.
            Assert.Equal(1, notion.Searches);
            Assert.Equal(first.StructuredContent!.Value.GetRawText(), second.StructuredContent!.Value.GetRawText());
        }
    }

    [Fact]
    public async Task Without_a_cache_connection_string_mcpapi_caches_in_process_and_says_so_once()
    {
        await using var graph = new ScriptedConnectorsGraph([ScriptedSource.Answering("notion")]);
        await graph.InitializeAsync();
        await using var client = await McpClientSession.ConnectAsync(graph.McpApi, "2026-07-28");

        Assert.Equal(1, await SearchesReachingTheSourceAsync(client, graph.Source("notion"), "in process"));
        Assert.Single(graph.Logs.Lines, l => l.Contains("ConnectionStrings:cache is not set", StringComparison.Ordinal));
        Assert.False((await graph.HealthAsync()).Checks.ContainsKey("redis"));
    }

    [Fact]
    public async Task The_in_process_cache_keeps_no_more_bytes_than_its_bound()
    {
        // No Redis here: a list the process does not keep is asked of the source again.
        await using var graph = new ScriptedConnectorsGraph([ScriptedSource.Answering("notion")], ("Search:LocalCacheMaxBytes", "2048"));
        await graph.InitializeAsync();
        await using var client = await McpClientSession.ConnectAsync(graph.McpApi, "2026-07-28");
        var notion = graph.Source("notion");

        Assert.Equal(1, await SearchesReachingTheSourceAsync(client, notion, "small enough to keep"));
        // Its one hit repeats the 499-character query as title and snippet, and in hex as its id: more than the bound.
        Assert.Equal(2, await SearchesReachingTheSourceAsync(client, notion, string.Join(' ', Enumerable.Repeat("oversized", 50))));
    }

    /// <summary>Searches the same query twice; answers how many of them reached the source.</summary>
    private static async Task<int> SearchesReachingTheSourceAsync(McpClient client, ScriptedSource source, string query)
    {
        var before = source.Searches;
        for (var i = 0; i < 2; i++)
        {
            var result = await client.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = query, ["sources"] = new[] { source.Id } });
            Assert.Equal("ok", result.StructuredContent!.Value.GetProperty("sources")[0].GetProperty("status").GetString());
        }
        return source.Searches - before;
    }
}

public sealed class SearchWithWrongKeyTests(McpApiWithConnectors graph) : IClassFixture<McpApiWithConnectors>
{
    [Fact]
    public async Task A_connectors_refusal_is_reported_as_unauthorized_for_that_source()
    {
        await using var mcpApi = new WrongKeyFactory(graph.ConnectorsUrl.ToString().TrimEnd('/'));
        await using var client = await McpClientSession.ConnectAsync(mcpApi, "2026-07-28");

        var result = await client.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = "travel", ["sources"] = new[] { "files" } });

        var files = result.StructuredContent!.Value.GetProperty("sources")[0];
        Assert.Equal("unauthorized", files.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Array, result.StructuredContent.Value.GetProperty("results").ValueKind);
    }

    private sealed class WrongKeyFactory(string connectorsUrl) : McpApiFactory
    {
        public override string ConnectorsUrl => connectorsUrl;
    }
}
