using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using ModelContextProtocol.Protocol;

namespace Workplace.Tests.Mcp;

/// <summary>A connectors peer that accepts connections and never answers: the per-source deadline must end the wait.</summary>
public sealed class HangingConnectorsFactory : McpApiFactory
{
    private readonly TcpListener _listener = StartListener();

    public override string ConnectorsUrl => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    private static TcpListener StartListener()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    protected override void ConfigureTestHost(IWebHostBuilder builder) => builder.UseSetting("Search:PerSourceTimeout", "00:00:00.500");

    protected override void Dispose(bool disposing)
    {
        _listener.Stop();
        _listener.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>McpApi whose Redis is configured but unreachable: searches must still answer, uncached.</summary>
public sealed class RedisDownFactory : McpApiFactory
{
    protected override void ConfigureTestHost(IWebHostBuilder builder) =>
        builder.UseSetting("ConnectionStrings:cache", "127.0.0.1:1,connectTimeout=200,syncTimeout=200");
}

public sealed class SearchTimeoutTests(HangingConnectorsFactory factory) : IClassFixture<HangingConnectorsFactory>
{
    [Fact]
    public async Task A_source_that_does_not_answer_is_reported_as_timeout_within_the_deadline()
    {
        await using var client = await McpClientSession.ConnectAsync(factory, "2026-07-28");
        var clock = Stopwatch.StartNew();

        var result = await client.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = "roadmap", ["sources"] = new[] { "files", "notion" } });

        clock.Stop();
        Assert.NotEqual(true, result.IsError);
        var sources = result.StructuredContent!.Value.GetProperty("sources").EnumerateArray().ToList();
        Assert.All(sources, s => Assert.Equal("timeout", s.GetProperty("status").GetString()));
        Assert.All(sources, s => Assert.Contains("did not answer within 0.5 s", s.GetProperty("message").GetString(), StringComparison.Ordinal));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"Sources are searched in parallel under one deadline; the call took {clock.Elapsed}.");
    }
}

public sealed class SearchWithoutRedisTests(RedisDownFactory factory) : IClassFixture<RedisDownFactory>
{
    [Fact]
    public async Task Search_answers_when_the_cache_is_down()
    {
        await using var client = await McpClientSession.ConnectAsync(factory, "2026-07-28");

        var result = await client.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = "roadmap", ["sources"] = new[] { "files" } });

        Assert.NotEqual(true, result.IsError);
        Assert.Equal("files", result.StructuredContent!.Value.GetProperty("sources")[0].GetProperty("source").GetString());
        Assert.IsType<TextContentBlock>(result.Content[0]);
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
