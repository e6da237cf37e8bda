using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Workplace.ServiceDefaults.ConnectorApi;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Connectors;

[Collection(ConnectorsCollection.Name)]
public sealed class ConnectorsApiTests(ConnectorsFixture fixture) : IClassFixture<ConnectorsFixture>
{
    private static readonly TimeSpan s_pickup = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Search_TwoWordQuery_RanksTheExactPhraseFirst()
    {
        var results = await fixture.SearchAsync("quarterly review");

        Assert.True(results.GetArrayLength() >= 2, "both documents holding the words should match");
        Assert.Equal("Travel Policy", results[0].GetProperty("title").GetString());
        Assert.True(results[0].GetProperty("score").GetDouble() > results[1].GetProperty("score").GetDouble());
    }

    [Fact]
    public async Task Search_QuotedPhrase_MatchesOnlyDocumentsHoldingIt()
    {
        var results = (await fixture.SearchAsync("\"quarterly review\" finance")).EnumerateArray().ToList();

        // Documents holding only some of the words follow (the any-word tier, scored below 1); only one holds them all.
        var only = Assert.Single(results, r => r.GetProperty("score").GetDouble() >= 1);
        Assert.Equal(ConnectorsFixture.IdOf("travel.md"), only.GetProperty("id").GetString());
        Assert.Equal(only, results[0]);
    }

    [Fact]
    public async Task Search_HitCarriesHighlightedSnippetAndMetadata()
    {
        var hit = Assert.Single((await fixture.SearchAsync("economy")).EnumerateArray());

        Assert.Contains("**economy**", hit.GetProperty("snippet").GetString(), StringComparison.Ordinal);
        Assert.Equal("files", hit.GetProperty("source").GetString());
        Assert.Equal("text/markdown", hit.GetProperty("mime_type").GetString());
        Assert.StartsWith("workplace://documents/files/", hit.GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, hit.GetProperty("content").ValueKind);
    }

    [Fact]
    public async Task Search_NoDocumentHoldsEveryWord_FallsBackToAnyWord()
    {
        var results = await fixture.SearchAsync("kangaroo nonexistentword");

        Assert.Equal("notes", Assert.Single(results.EnumerateArray()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task Search_UserSyntax_IsTreatedAsWords()
    {
        var results = await fixture.SearchAsync("title:economy OR NEAR(\"x\" * ) -) ^economy");

        Assert.Equal("Travel Policy", results[0].GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("* ( ) ^ : -", 0)]
    [InlineData("\"\"", 0)]
    [InlineData("\"economy flights", 1)]
    public async Task Search_OperatorsAndStrayQuotes_AnswerWithoutError(string query, int expected)
    {
        var results = await fixture.SearchAsync(query);

        Assert.Equal(expected, results.GetArrayLength());
    }

    [Fact]
    public async Task Search_ModifiedAfter_ExcludesOlderDocuments()
    {
        var all = await fixture.SearchAsync("pelican");
        var recent = await fixture.SearchAsync("pelican", modifiedAfter: new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(2, all.GetArrayLength());
        Assert.Equal("New memo", Assert.Single(recent.EnumerateArray()).GetProperty("title").GetString());
        Assert.Contains(all.EnumerateArray(), h => h.GetProperty("modified").GetDateTimeOffset().Year == 2020);
    }

    [Fact]
    public async Task Search_MaxResults_LimitsTheList()
    {
        Assert.Equal(1, (await fixture.SearchAsync("pelican", maxResults: 1)).GetArrayLength());
    }

    [Fact]
    public async Task Search_IncludeContent_ReturnsTheWholeMarkdown()
    {
        var hit = Assert.Single((await fixture.SearchAsync("economy", includeContent: true)).EnumerateArray());

        Assert.Equal(File.ReadAllText(Path.Combine(fixture.Root, "travel.md")), hit.GetProperty("content").GetString());
    }

    [Fact]
    public async Task Fetch_LongDocumentInRanges_JoinsToTheWholeDocument()
    {
        var id = ConnectorsFixture.IdOf("long.md");
        var joined = new StringBuilder();
        int? offset = 0;
        var ranges = 0;
        while (offset is { } next)
        {
            using var response = await fixture.FetchAsync(id, next, 20_000);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var range = (await response.Content.ReadFromJsonAsync(ConnectorJsonContext.Default.DocumentRange))!;
            Assert.Equal(next, range.Offset);
            Assert.Equal(fixture.LongDocument.Length, range.TotalChars);
            Assert.Equal(range.NextOffset is not null, range.Truncated);
            joined.Append(range.Content);
            offset = range.NextOffset;
            ranges++;
        }

        Assert.True(ranges >= 3, $"expected 3 or more ranges, got {ranges}");
        Assert.Equal(fixture.LongDocument, joined.ToString());
    }

    [Fact]
    public async Task Fetch_RangeEndingInsideASurrogatePair_StopsBeforeIt()
    {
        using var response = await fixture.FetchAsync(ConnectorsFixture.IdOf("emoji.md"), 0, 3);
        var range = (await response.Content.ReadFromJsonAsync(ConnectorJsonContext.Default.DocumentRange))!;

        Assert.Equal("ab", range.Content);
        Assert.Equal(2, range.NextOffset);
        Assert.True(range.Truncated);
    }

    [Fact]
    public async Task Fetch_UsesSnakeCaseJson()
    {
        using var response = await fixture.FetchAsync(ConnectorsFixture.IdOf("travel.md"));
        var json = await response.Content.ReadAsStringAsync();

        Assert.Contains("\"total_chars\":", json, StringComparison.Ordinal);
        Assert.Contains("\"next_offset\":null", json, StringComparison.Ordinal);
        Assert.Contains("\"truncated\":false", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_OffsetPastTheEnd_Is400NamingTotalChars()
    {
        using var response = await fixture.FetchAsync(ConnectorsFixture.IdOf("travel.md"), offset: 1_000_000);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("total_chars", await Detail(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_Html_IsMarkdownWithoutScriptsOrNavigation()
    {
        var markdown = await ContentOf("guides/onboarding.html");

        Assert.Contains("# Welcome aboard", markdown, StringComparison.Ordinal);
        Assert.Contains("## Your first week", markdown, StringComparison.Ordinal);
        Assert.Contains("Hello **new** hire, read [the wiki](https://wiki.example/start) first.", markdown, StringComparison.Ordinal);
        Assert.Contains("- Laptop pickup\n- Badge photo\n   - Bring ID", markdown, StringComparison.Ordinal);
        Assert.Contains("1. Meet the team\n2. Ship something", markdown, StringComparison.Ordinal);
        Assert.Contains("| Day | Task |\n| --- | --- |\n| Monday | Setup |", markdown, StringComparison.Ordinal);
        Assert.Contains("```bash\ngit clone repo\n```", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("scriptonlyword", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("navonlyword", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("menuclassword", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("roleword", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("color", markdown, StringComparison.Ordinal);
        Assert.Equal(0, (await fixture.SearchAsync("scriptonlyword")).GetArrayLength());
        Assert.Equal("Onboarding Guide", Assert.Single((await fixture.SearchAsync("lighthouse OR Laptop pickup")).EnumerateArray(), h => h.GetProperty("mime_type").GetString() == "text/html").GetProperty("title").GetString());
    }

    [Fact]
    public async Task Fetch_Docx_IsMarkdownWithHeadingsListsEmphasisAndTables()
    {
        var markdown = await ContentOf("handbook.docx");

        Assert.Contains("# Benefits", markdown, StringComparison.Ordinal);
        Assert.Contains("## Perks", markdown, StringComparison.Ordinal);
        Assert.Contains("Dental cover is **included** for *every* employee zebracrossing.", markdown, StringComparison.Ordinal);
        Assert.Contains("- Gym membership\n- Free lunch", markdown, StringComparison.Ordinal);
        Assert.Contains("1. Apply online\n2. Wait for approval", markdown, StringComparison.Ordinal);
        Assert.Contains("| Plan | Cost |\n| --- | --- |\n| Basic | Free |", markdown, StringComparison.Ordinal);
        var hit = Assert.Single((await fixture.SearchAsync("zebracrossing")).EnumerateArray());
        Assert.Equal("Employee Handbook", hit.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Fetch_MarkdownAndText_AreServedAsWritten()
    {
        Assert.Equal(File.ReadAllText(Path.Combine(fixture.Root, "travel.md")), await ContentOf("travel.md"));
        Assert.Equal("Plain notes about the kangaroo offsite.\nSecond line.\n", await ContentOf("notes.txt"));
    }

    public static TheoryData<string> HostileIds()
    {
        static string Encode(string path) => ConnectorsFixture.IdOf(path);
        return new TheoryData<string>
        {
            Encode("../etc/passwd"),
            Encode("guides/../../etc/passwd"),
            Encode("/etc/passwd"),
            Encode("C:/Windows/win.ini"),
            Encode("guides\\..\\travel.md"),
            Encode("travel.md\0.txt"),
            Encode("tra\nvel.md"),
            Encode("./travel.md"),
            Encode("guides//onboarding.html"),
            Encode("%2e%2e/etc/passwd"),
            "files:%2e%2e%2fetc%2fpasswd",
            "files:../../etc/passwd",
            "files:dHJhdmVsLm1k==",
            "files:A",
            "files:",
            "files:not base64!",
            "files:" + System.Buffers.Text.Base64Url.EncodeToString([0xff, 0xfe, 0x2f]),
            "files:" + new string('A', 600),
            "files:" + new string('A', 5000),
            "no-source-prefix",
        };
    }

    [Theory]
    [MemberData(nameof(HostileIds))]
    public async Task Fetch_HostileId_Is400AndTheServerKeepsServing(string id)
    {
        using var response = await fixture.FetchAsync(id);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("invalid id", await Detail(response), StringComparison.Ordinal);
        using var next = await fixture.FetchAsync(ConnectorsFixture.IdOf("travel.md"));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Fetch_UnknownDocument_Is404()
    {
        using var response = await fixture.FetchAsync(ConnectorsFixture.IdOf("no/such/file.md"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Search again", await Detail(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Links_AreNeverFollowed()
    {
        Assert.Equal(0, (await fixture.SearchAsync("outsideonlyword")).GetArrayLength());
        using var file = await fixture.FetchAsync(ConnectorsFixture.IdOf("link.md"));
        using var folder = await fixture.FetchAsync(ConnectorsFixture.IdOf("linked-folder/secret.md"));

        Assert.Equal(HttpStatusCode.NotFound, file.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, folder.StatusCode);
    }

    [Fact]
    public async Task PathsTooLongForAnId_AreNotIndexed()
    {
        Assert.Equal(0, (await fixture.SearchAsync("deeppathword")).GetArrayLength());
        Assert.Single((await fixture.SearchAsync("economy")).EnumerateArray());
    }

    [Fact]
    public async Task FilesOverTheSizeLimit_AreNotIndexed()
    {
        Assert.Equal(0, (await fixture.SearchAsync("bigfileword")).GetArrayLength());
        using var response = await fixture.FetchAsync(ConnectorsFixture.IdOf("big.md"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task FolderChanges_ArePickedUpWithoutRestart()
    {
        var word = "fresh" + Guid.NewGuid().ToString("N")[..8];
        var changed = "changed" + Guid.NewGuid().ToString("N")[..8];
        var path = Path.Combine(fixture.Root, $"{word}.md");

        await File.WriteAllTextAsync(path, $"# Added\n\nThe {word} document.\n");
        await Poll.UntilAsync(async () => (await fixture.SearchAsync(word)).GetArrayLength() == 1, s_pickup, "an added file to be searchable");

        await File.WriteAllTextAsync(path, $"# Modified\n\nThe {changed} document, longer now.\n");
        await Poll.UntilAsync(async () => (await fixture.SearchAsync(changed)).GetArrayLength() == 1 && (await fixture.SearchAsync(word)).GetArrayLength() == 0,
            s_pickup, "a modified file to be reindexed");

        var renamed = Path.Combine(fixture.Root, "guides", $"{word}-renamed.md");
        File.Move(path, renamed);
        await Poll.UntilAsync(async () =>
        {
            var results = await fixture.SearchAsync(changed);
            return results.GetArrayLength() == 1 && results[0].GetProperty("id").GetString() == ConnectorsFixture.IdOf($"guides/{word}-renamed.md");
        }, s_pickup, "a renamed file to move to its new id");

        File.Delete(renamed);
        await Poll.UntilAsync(async () => (await fixture.SearchAsync(changed)).GetArrayLength() == 0, s_pickup, "a deleted file to leave the index");
        using var gone = await fixture.FetchAsync(ConnectorsFixture.IdOf($"guides/{word}-renamed.md"));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task ConcurrentSearches_WhileTheFolderChanges_AllSucceed()
    {
        var word = "busy" + Guid.NewGuid().ToString("N")[..8];
        var path = Path.Combine(fixture.Root, $"{word}.md");
        using var deadline = new CancellationTokenSource(s_pickup);
        var changeSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var completed = 0;

        // Searchers run until the index has taken the change in, so searches start before the write, run while the
        // watcher re-indexes, and end after it: every one of them must still answer in full.
        async Task<int> SearchUntilTheChangeIsSeenAsync(int searcher)
        {
            var after = 0;
            while (!changeSeen.Task.IsCompleted)
            {
                deadline.Token.ThrowIfCancellationRequested();
                var startedAfterTheWrite = File.Exists(path);
                var results = await fixture.SearchAsync(searcher % 2 == 0 ? "economy" : "quarterly review");
                Assert.Equal("Travel Policy", results[0].GetProperty("title").GetString());
                Interlocked.Increment(ref completed);
                after += startedAfterTheWrite ? 1 : 0;
            }
            return after;
        }

        var searchers = Enumerable.Range(0, 6).Select(i => Task.Run(() => SearchUntilTheChangeIsSeenAsync(i))).ToList();
        await Poll.UntilAsync(() => Task.FromResult(Volatile.Read(ref completed) >= 6), s_pickup, "the searches to be under way");
        await File.WriteAllTextAsync(path, $"# Busy\n\n{word}\n");
        await Poll.UntilAsync(async () => (await fixture.SearchAsync(word)).GetArrayLength() == 1, s_pickup, "the file written during the searches");
        changeSeen.SetResult();
        var searchesAfterTheWrite = await Task.WhenAll(searchers);

        Assert.All(searchesAfterTheWrite, n => Assert.True(n > 0, "A searcher stopped before the folder changed: the search and the change did not overlap."));
        File.Delete(path);
    }

    public static TheoryData<string> Unauthorized() => new() { "missing", "garbage", "forged", "expired" };

    [Theory]
    [MemberData(nameof(Unauthorized))]
    public async Task InternalRoutes_WithoutAValidAssertion_Are401(string kind)
    {
        var assertion = kind switch
        {
            "missing" => null,
            "garbage" => "not-a-token",
            "forged" => new InternalAssertion(Convert.ToBase64String(new byte[32])).Create(new InternalPrincipal("user-1", new HashSet<string> { "files" })),
            _ => new InternalAssertion(fixture.Key, new PastTime()).Create(new InternalPrincipal("user-1", new HashSet<string> { "files" })),
        };
        using var client = fixture.NewClient(assertion);

        using var sources = await client.GetAsync(ConnectorRoutes.Sources);
        using var search = await client.PostAsJsonAsync(ConnectorRoutes.Search("files"), new { query = "economy" });
        using var fetch = await client.GetAsync($"{ConnectorRoutes.Documents}?id={ConnectorsFixture.IdOf("travel.md")}");

        Assert.All([sources, search, fetch], r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Equal("Bearer", Assert.Single(sources.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    public async Task HealthEndpoints_AreOpen()
    {
        using var client = fixture.NewClient(null);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/alive")).StatusCode);
    }

    [Fact]
    public async Task UngrantedSource_Is403()
    {
        using var client = fixture.NewClient(fixture.Assertion("notion"));

        using var search = await client.PostAsJsonAsync(ConnectorRoutes.Search("files"), new { query = "economy" });
        using var fetch = await client.GetAsync($"{ConnectorRoutes.Documents}?id={ConnectorsFixture.IdOf("travel.md")}");

        Assert.Equal(HttpStatusCode.Forbidden, search.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, fetch.StatusCode);
        Assert.Contains("workplace:read:files", await Detail(search), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sources_ListsTheFilesSource()
    {
        var list = await fixture.Client.GetFromJsonAsync(ConnectorRoutes.Sources, ConnectorJsonContext.Default.SourceList);

        var files = Assert.Single(list!.Sources, s => s.Id == "files");
        Assert.False(files.RequiresConnection);
    }

    [Fact]
    public async Task UnknownSource_Is404()
    {
        using var response = await fixture.Client.PostAsJsonAsync(ConnectorRoutes.Search("dropbox"), new { query = "x" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("{\"query\": ", "not a valid search request")]
    [InlineData("[1,2]", "not a valid search request")]
    [InlineData("{\"query\": \"   \"}", "query is missing")]
    [InlineData("{\"query\": \"a\", \"max_results\": 51}", "max_results is 51")]
    public async Task Search_BadBody_Is400WithAReason(string body, string reason)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await fixture.Client.PostAsync(ConnectorRoutes.Search("files"), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(reason, await Detail(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_QueryTooLong_Is400()
    {
        using var response = await fixture.Client.PostAsJsonAsync(ConnectorRoutes.Search("files"), new { query = new string('a', 501) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("limit is 500", await Detail(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_OversizedBody_Is413()
    {
        using var response = await fixture.Client.PostAsJsonAsync(ConnectorRoutes.Search("files"), new { query = "economy", padding = new string('x', 20_000) });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("at most", await Detail(response), StringComparison.Ordinal);
    }

    private async Task<string> ContentOf(string relativePath)
    {
        using var response = await fixture.FetchAsync(ConnectorsFixture.IdOf(relativePath), maxChars: 100_000);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var range = (await response.Content.ReadFromJsonAsync(ConnectorJsonContext.Default.DocumentRange))!;
        Assert.False(range.Truncated);
        return range.Content;
    }

    private static async Task<string> Detail(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString() ?? "";

    private sealed class PastTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow.AddMinutes(-10);
    }
}
