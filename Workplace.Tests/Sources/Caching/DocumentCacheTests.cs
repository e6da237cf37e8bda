using System.Net;
using System.Text.Json;

namespace Workplace.Tests.Sources.Caching;

/// <summary>
/// The document cache through the real Connectors app and the real emulators, which count every content read (Drive
/// export and download, Notion block lists, Graph downloads) and edit documents as their owners would.
/// </summary>
public sealed class DocumentCacheTests(DocumentCacheGraph graph) : IClassFixture<DocumentCacheGraph>
{
    [Theory]
    [InlineData("google_drive", "Fleet Console architecture notes", "aditi")]
    [InlineData("notion", "fleet-platform-architecture", "aditi")]
    [InlineData("sharepoint", "Fleet platform architecture.md", "aditi")]
    public async Task A_second_fetch_of_the_same_version_reads_no_content_from_the_provider(string source, string name, string reader)
    {
        var document = Document(source, name, reader);
        var (status, first) = await graph.FetchAsync(reader, document.Id);
        Assert.Equal(HttpStatusCode.OK, status);
        var reads = await graph.ContentReadsAsync(document.Provider);

        var (againStatus, again) = await graph.FetchAsync(reader, document.Id);
        var (rangeStatus, range) = await graph.FetchAsync(reader, document.Id, offset: 100, maxChars: 50);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (againStatus, rangeStatus));
        Assert.Equal(reads, await graph.ContentReadsAsync(document.Provider));
        Assert.Equal(Text(first), Text(again));
        Assert.Equal(Text(first).Substring(100, 50), Text(range));

        // A replica on the same Redis finds the version its peer converted.
        await using var replica = await graph.StartConnectorsAsync(connect: false, ("ConnectionStrings:cache", graph.Redis.ConnectionString));
        var (replicaStatus, fromReplica) = await graph.FetchAsync(reader, document.Id, app: replica);
        Assert.Equal(HttpStatusCode.OK, replicaStatus);
        Assert.Equal(Text(first), Text(fromReplica));
        Assert.Equal(reads, await graph.ContentReadsAsync(document.Provider));
    }

    [Theory]
    [InlineData("google_drive", "Northwind pilot demo script", "aditi")]
    [InlineData("notion", "kestrel-firmware-rollback", "aditi")]
    [InlineData("sharepoint", "Retro 2026-03 Zürich.md", "aditi")]
    public async Task After_an_edit_fetch_reads_the_new_version_and_the_next_range_comes_from_it(string source, string name, string reader)
    {
        var document = Document(source, name, reader);
        var (status, opening) = await graph.FetchAsync(reader, document.Id, maxChars: 200);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(opening.GetProperty("truncated").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await graph.FetchAsync(reader, document.Id)).Status);

        var marker = $"edited-{Guid.NewGuid():N}";
        var text = $"The rollout moved to Thursday ({marker}).\n\n" + string.Join("\n\n", Enumerable.Range(1, 20).Select(i => $"Step {i}: check the fleet console before the next wave."));
        await graph.EditAsync(document, text);

        // The range after the first, asked for after the edit, is cut from the new version: its total says so.
        var (nextStatus, next) = await graph.FetchAsync(reader, document.Id, offset: 200);
        var (wholeStatus, whole) = await graph.FetchAsync(reader, document.Id);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (nextStatus, wholeStatus));
        Assert.Contains(marker, Text(whole), StringComparison.Ordinal);
        Assert.Equal(whole.GetProperty("total_chars").GetInt32(), next.GetProperty("total_chars").GetInt32());
        Assert.Equal(Text(whole)[200..], Text(next));
        Assert.NotEqual(opening.GetProperty("total_chars").GetInt32(), whole.GetProperty("total_chars").GetInt32());
    }

    [Theory]
    [InlineData("google_drive", "Compensation bands 2026", "priya", "aditi")]
    [InlineData("notion", "comp-review-2026", "priya", "aditi")]
    [InlineData("sharepoint", "Parental leave policy.md", "priya", "renata")]
    public async Task A_user_without_access_is_refused_though_another_users_read_is_cached(string source, string name, string reader, string outsider)
    {
        var document = Document(source, name, reader);
        var (status, allowed) = await graph.FetchAsync(reader, document.Id);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, (await graph.FetchAsync(reader, document.Id)).Status);

        var (refusedStatus, refused) = await graph.FetchAsync(outsider, document.Id);

        Assert.Equal(HttpStatusCode.NotFound, refusedStatus);
        Assert.False(refused.TryGetProperty("content", out _));
        Assert.DoesNotContain(Text(allowed)[..Math.Min(80, Text(allowed).Length)], refused.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_document_over_the_cache_limit_is_read_every_time_and_answers_as_before()
    {
        var documents = new[]
        {
            DocumentCacheGraph.Drive("Fleet Console architecture notes", "aditi"),
            DocumentCacheGraph.Notion("fleet-platform-architecture", "aditi"),
            graph.Graph("Fleet platform architecture.md", "aditi"),
        };
        // In this process only (no Redis): the fixture's app has these documents cached, and must not serve them here.
        await using var small = await graph.StartConnectorsAsync(connect: true, ("DocumentCache:MaxChars", "1000"));
        foreach (var document in documents)
        {
            var (_, expected) = await graph.FetchAsync(document.Reader, document.Id);
            Assert.True(expected.GetProperty("total_chars").GetInt32() > 1000, $"{document} is over the limit");
            for (var read = 0; read < 2; read++)
            {
                var before = await graph.ContentReadsAsync(document.Provider);
                var (status, body) = await graph.FetchAsync(document.Reader, document.Id, app: small);
                Assert.Equal(HttpStatusCode.OK, status);
                Assert.Equal(Text(expected), Text(body));
                Assert.True(await graph.ContentReadsAsync(document.Provider) > before, $"{document}: read {read + 1} reached the provider");
            }
        }
    }

    [Fact]
    public async Task A_Notion_page_edited_in_the_last_minutes_is_not_cached_as_Notion_rounds_its_edit_time_to_the_minute()
    {
        var document = DocumentCacheGraph.Notion("zurich-offsite", "aditi");
        await graph.EditAsync(document, "Offsite moved to Lucerne.");
        Assert.Equal(HttpStatusCode.OK, (await graph.FetchAsync("aditi", document.Id)).Status);
        var reads = await graph.ContentReadsAsync("notion");

        // A second edit in the same minute keeps last_edited_time: only reading the blocks again finds it.
        await graph.EditAsync(document, "Offsite moved to Zug.");
        var (status, body) = await graph.FetchAsync("aditi", document.Id);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Zug", Text(body), StringComparison.Ordinal);
        Assert.True(await graph.ContentReadsAsync("notion") > reads);
    }

    private ProviderDocument Document(string source, string name, string reader) => source switch
    {
        "google_drive" => DocumentCacheGraph.Drive(name, reader),
        "notion" => DocumentCacheGraph.Notion(name, reader),
        _ => graph.Graph(name, reader),
    };

    private static string Text(JsonElement range) => range.GetProperty("content").GetString()!;
}
