using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Workplace.ServiceDefaults.ConnectorApi;
using Workplace.Tests.Infrastructure;
using Workplace.Tests.Mcp;

namespace Workplace.Tests.Search;

/// <summary>
/// The real Connectors app over a folder of twelve harbour documents, and two real McpApi apps wired to it: one with
/// the search cache, one without (every search runs again, as after the cached list expired). Connectors' documents
/// endpoint is watched, to see what include_content reads.
/// </summary>
public sealed class SearchPagingGraph : IAsyncLifetime
{
    public const int Documents = 12;

    public string Root { get; } = Directory.CreateTempSubdirectory("search-paging-").FullName;

    public ConcurrentQueue<string> DocumentReads { get; } = new();

    public McpApiFactory Cached { get; private set; } = null!;

    public McpApiFactory Uncached { get; private set; } = null!;

    private ConnectorsApp? _connectors;

    public async Task InitializeAsync()
    {
        for (var i = 0; i < Documents; i++)
        {
            // Each document names the harbour a different number of times, so the ranked order is deterministic.
            File.WriteAllText(Path.Combine(Root, $"harbour-{i:00}.md"),
                $"# Harbour note {i}\n\n{string.Join(' ', Enumerable.Repeat("harbour", i + 1))} tides and cranes, entry {i}.\n");
        }
        File.WriteAllText(Path.Combine(Root, "unrelated.md"), "# Orchard\n\nApples and pears.\n");
        var key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        _connectors = ConnectorsApp.Start(Root, key,
            services => services.AddSingleton<IStartupFilter>(new WatchDocuments(DocumentReads)),
            ("Logging:LogLevel:Default", "Warning"));
        var url = _connectors.BaseAddress.ToString().TrimEnd('/');
        Cached = new Wired(url, key, cacheTtl: null);
        Uncached = new Wired(url, key, cacheTtl: "00:00:00");
        _ = Cached.BaseAddress;
        _ = Uncached.BaseAddress;
        // The index is built in the background: wait until every harbour document is searchable.
        await using var client = await ConnectAsync(Uncached);
        await Poll.UntilAsync(async () => (await SearchAsync(client, "harbour", 50)).Results.Count == Documents, TimeSpan.FromSeconds(30), "the folder to be indexed");
    }

    public async Task DisposeAsync()
    {
        await Cached.DisposeAsync();
        await Uncached.DisposeAsync();
        if (_connectors is not null)
        {
            await _connectors.DisposeAsync();
        }
        Directory.Delete(Root, recursive: true);
    }

    public static async Task<McpClient> ConnectAsync(McpApiFactory api, string subject = "test-user")
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions { Endpoint = api.McpUrl, TransportMode = HttpTransportMode.StreamableHttp },
            api.Auth.CreateClient(subject: subject), ownsHttpClient: true);
        return await McpClient.CreateAsync(transport, new McpClientOptions { ClientInfo = new Implementation { Name = "paging-tests", Version = "1.0" } });
    }

    public sealed record Page(List<JsonElement> Results, string? NextCursor, CallToolResult Raw);

    public static async Task<Page> SearchAsync(McpClient client, string query, int maxResults, string? cursor = null, bool includeContent = false)
    {
        var arguments = new Dictionary<string, object?> { ["query"] = query, ["max_results"] = maxResults, ["sources"] = new[] { "files" }, ["include_content"] = includeContent };
        if (cursor is not null)
        {
            arguments["cursor"] = cursor;
        }
        var result = await client.CallToolAsync("search", arguments);
        if (result.IsError == true)
        {
            return new Page([], null, result);
        }
        var structured = result.StructuredContent!.Value;
        return new Page([.. structured.GetProperty("results").EnumerateArray()],
            structured.TryGetProperty("next_cursor", out var next) ? next.GetString() : null, result);
    }

    private sealed class Wired(string connectorsUrl, string key, string? cacheTtl) : McpApiFactory
    {
        public override string ConnectorsUrl => connectorsUrl;

        public override string SigningKey => key;

        protected override void ConfigureTestHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Search:MaxContentChars", "1000");
            if (cacheTtl is not null)
            {
                builder.UseSetting("Search:CacheTtl", cacheTtl);
            }
        }
    }

    private sealed class WatchDocuments(ConcurrentQueue<string> reads) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (HttpContext context, RequestDelegate inner) =>
            {
                if (context.Request.Path.StartsWithSegments(ConnectorRoutes.Documents, StringComparison.Ordinal))
                {
                    reads.Enqueue(context.Request.Query["id"].ToString());
                }
                await inner(context);
            });
            next(app);
        };
    }
}

public sealed class SearchPagingTests(SearchPagingGraph graph) : IClassFixture<SearchPagingGraph>
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Pages_follow_the_ranked_list_without_repeats_to_its_end(bool cached)
    {
        // Uncached, every page is a new search (as after the cached list expired) that finds its place by the keyset.
        await using var client = await SearchPagingGraph.ConnectAsync(cached ? graph.Cached : graph.Uncached);
        var whole = await SearchPagingGraph.SearchAsync(client, "harbour tides", 50);

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await SearchPagingGraph.SearchAsync(client, "harbour tides", 5, cursor);
            Assert.NotEqual(true, page.Raw.IsError);
            Assert.InRange(page.Results.Count, 1, 5);
            seen.AddRange(page.Results.Select(r => r.GetProperty("id").GetString()!));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(SearchPagingGraph.Documents, whole.Results.Count);
        Assert.Null(whole.NextCursor);
        Assert.Equal(3, pages);
        Assert.Equal(whole.Results.Select(r => r.GetProperty("id").GetString()!), seen);
    }

    [Fact]
    public async Task A_changed_cut_or_made_up_cursor_is_a_tool_error_that_says_what_to_do()
    {
        await using var client = await SearchPagingGraph.ConnectAsync(graph.Cached);
        var first = await SearchPagingGraph.SearchAsync(client, "harbour", 4);
        var cursor = first.NextCursor!;
        var flipped = cursor[..10] + (cursor[10] == 'A' ? 'B' : 'A') + cursor[11..];

        foreach (var bad in new[] { flipped, cursor[..^4], "not-a-cursor", "eyJvZmZzZXQiOjEwMH0" })
        {
            var page = await SearchPagingGraph.SearchAsync(client, "harbour", 4, bad);
            Assert.True(page.Raw.IsError, bad);
            Assert.Contains("not a cursor this server issued", Text(page.Raw), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_cursor_continues_only_its_own_search_of_its_own_user()
    {
        await using var client = await SearchPagingGraph.ConnectAsync(graph.Cached);
        await using var other = await SearchPagingGraph.ConnectAsync(graph.Cached, subject: "someone-else");
        var cursor = (await SearchPagingGraph.SearchAsync(client, "harbour", 4)).NextCursor!;

        var otherQuery = await SearchPagingGraph.SearchAsync(client, "harbour cranes", 4, cursor);
        var otherUser = await SearchPagingGraph.SearchAsync(other, "harbour", 4, cursor);
        var samePageSizeChanged = await SearchPagingGraph.SearchAsync(client, "harbour", 6, cursor);

        Assert.True(otherQuery.Raw.IsError);
        Assert.Contains("belongs to another search", Text(otherQuery.Raw), StringComparison.Ordinal);
        Assert.True(otherUser.Raw.IsError);
        Assert.Contains("belongs to another search", Text(otherUser.Raw), StringComparison.Ordinal);
        // max_results only sizes a page: a cursor goes on with any page size.
        Assert.NotEqual(true, samePageSizeChanged.Raw.IsError);
        Assert.Equal(6, samePageSizeChanged.Results.Count);
    }

    [Fact]
    public async Task Include_content_reads_the_returned_page_only_within_the_shared_budget()
    {
        await using var client = await SearchPagingGraph.ConnectAsync(graph.Cached);
        await SearchPagingGraph.SearchAsync(client, "harbour cranes", 50);
        graph.DocumentReads.Clear();

        var page = await SearchPagingGraph.SearchAsync(client, "harbour cranes", 3, includeContent: true);

        Assert.Equal(3, page.Results.Count);
        Assert.Equal(page.Results.Select(r => r.GetProperty("id").GetString()!).Order(StringComparer.Ordinal), graph.DocumentReads.Order(StringComparer.Ordinal));
        Assert.All(page.Results, r =>
        {
            var content = r.GetProperty("content").GetString()!;
            Assert.Contains("# Harbour note", content, StringComparison.Ordinal);
            // Search:MaxContentChars is 1000 here: three results share it.
            Assert.InRange(content.Length, 1, 1000 / 3);
            Assert.True(r.TryGetProperty("content_truncated", out _));
        });
    }

    [Fact]
    public async Task A_result_whose_content_cannot_be_read_keeps_its_place_and_says_why()
    {
        var doomed = Path.Combine(graph.Root, "harbour-doomed.md");
        File.WriteAllText(doomed, "# Lighthouse doomed\n\nThe old lighthouse will be demolished.\n");
        await using var client = await SearchPagingGraph.ConnectAsync(graph.Cached);
        await using var uncached = await SearchPagingGraph.ConnectAsync(graph.Uncached);
        // Polled uncached: an empty answer is an answer, and the cached app would keep it for a minute.
        await Poll.UntilAsync(async () => (await SearchPagingGraph.SearchAsync(uncached, "lighthouse demolished", 5)).Results.Count == 1,
            TimeSpan.FromSeconds(20), "the new file to be indexed");
        var listed = await SearchPagingGraph.SearchAsync(client, "lighthouse demolished", 5);
        Assert.Single(listed.Results);
        File.Delete(doomed);
        await Poll.UntilAsync(async () => (await SearchPagingGraph.SearchAsync(uncached, "lighthouse demolished", 5)).Results.Count == 0,
            TimeSpan.FromSeconds(20), "the deleted file to leave the index");

        // The cached list still names the document; reading its content now fails.
        var page = await SearchPagingGraph.SearchAsync(client, "lighthouse demolished", 5, includeContent: true);

        var only = Assert.Single(page.Results);
        Assert.Equal(listed.Results[0].GetProperty("id").GetString(), only.GetProperty("id").GetString());
        Assert.False(only.TryGetProperty("content", out _));
        Assert.Contains("could not be read", only.GetProperty("content_error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Matched_words_are_marked_in_the_snippet()
    {
        await using var client = await SearchPagingGraph.ConnectAsync(graph.Cached);

        var page = await SearchPagingGraph.SearchAsync(client, "Which cranes?", 1);

        Assert.Contains("**cranes**", Assert.Single(page.Results).GetProperty("snippet").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("**Which**", page.Results[0].GetProperty("snippet").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    private static string Text(CallToolResult result) => string.Join('\n', result.Content.OfType<TextContentBlock>().Select(t => t.Text));
}
