using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Mcp;

/// <summary>
/// A loopback peer at the connectors address that fails every search the way a provider-backed source can
/// (429 with Retry-After, 502 problem details, 404 unknown source): fault injection the real files source cannot do.
/// </summary>
public sealed class FailingConnectorsFactory : McpApiFactory, IAsyncLifetime
{
    private LoopbackServer? _peer;
    private int _notionSearches;

    public int NotionSearches => Volatile.Read(ref _notionSearches);

    public override string ConnectorsUrl => _peer?.BaseAddress.ToString().TrimEnd('/') ?? "";

    public async Task InitializeAsync() =>
        _peer = await LoopbackServer.StartAsync(app => app.MapPost("/internal/v1/sources/{source}/search", (string source, HttpContext context) => source switch
        {
            "google_drive" => Problem(context, StatusCodes.Status429TooManyRequests, "Drive quota exhausted for this user.", retryAfterSeconds: 20),
            "notion" => Problem(context, StatusCodes.Status502BadGateway, "Notion answered 500.", countIn: () => Interlocked.Increment(ref _notionSearches)),
            _ => Problem(context, StatusCodes.Status404NotFound, $"Unknown source '{source}'."),
        }));

    private static IResult Problem(HttpContext context, int status, string detail, int? retryAfterSeconds = null, Action? countIn = null)
    {
        countIn?.Invoke();
        if (retryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return Results.Problem(detail, statusCode: status);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (_peer is not null)
        {
            await _peer.DisposeAsync();
        }
        await DisposeAsync();
    }
}

public sealed class ConnectorFaultTests(FailingConnectorsFactory factory) : IClassFixture<FailingConnectorsFactory>
{
    [Fact]
    public async Task Each_failing_source_gets_its_own_status_and_a_message_saying_what_to_do()
    {
        await using var client = await McpClientSession.ConnectAsync(factory, "2026-07-28");

        var result = await client.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = "roadmap", ["sources"] = new[] { "google_drive", "notion", "sharepoint" } });

        Assert.NotEqual(true, result.IsError);
        var statuses = result.StructuredContent!.Value.GetProperty("sources").EnumerateArray()
            .ToDictionary(s => s.GetProperty("source").GetString()!, s => (Status: s.GetProperty("status").GetString(), Message: s.GetProperty("message").GetString()!));
        Assert.Equal("rate_limited", statuses["google_drive"].Status);
        Assert.Contains("retry in 20 s", statuses["google_drive"].Message, StringComparison.Ordinal);
        Assert.Contains("Drive quota exhausted", statuses["google_drive"].Message, StringComparison.Ordinal);
        Assert.Equal("error", statuses["notion"].Status);
        Assert.Contains("Notion answered 500.", statuses["notion"].Message, StringComparison.Ordinal);
        Assert.Equal("not_connected", statuses["sharepoint"].Status);
    }

    [Fact]
    public async Task Failed_searches_are_not_cached()
    {
        await using var client = await McpClientSession.ConnectAsync(factory, "2026-07-28");
        var arguments = new Dictionary<string, object?> { ["query"] = "cache me not", ["sources"] = new[] { "notion" } };

        var before = factory.NotionSearches;

        await client.CallToolAsync("search", arguments);
        var afterFirst = factory.NotionSearches;
        var second = await client.CallToolAsync("search", arguments);

        Assert.Equal("error", second.StructuredContent!.Value.GetProperty("sources")[0].GetProperty("status").GetString());
        // The second call reached the source as often as the first (attempt plus any retry): it was not served from the cache.
        Assert.True(afterFirst > before, "The first search never reached the source.");
        Assert.Equal(afterFirst - before, factory.NotionSearches - afterFirst);
    }
}
