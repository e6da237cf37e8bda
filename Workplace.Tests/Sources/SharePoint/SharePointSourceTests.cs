using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Workplace.Connectors.Content;
using Workplace.Connectors.Credentials;
using Workplace.Emulators.Faults;
using Workplace.Emulators.Graph;
using Workplace.Emulators.Workspace;
using Workplace.Tests.Connectors;
using Workplace.Tests.Emulators.Graph;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Sources.SharePoint;

/// <summary>The sharepoint source in the real Connectors app, against the real Graph emulator, through the internal API.</summary>
[Collection(ConnectorsCollection.Name)]
public sealed partial class SharePointSourceTests(SharePointFixture fixture) : IClassFixture<SharePointFixture>
{
    [Fact]
    public async Task TheSource_IsListed_AsEmulated_AndNeedingAConnection()
    {
        using var client = fixture.ClientFor("aditi");

        var sources = (await client.GetFromJsonAsync<JsonElement>("/internal/v1/sources")).GetProperty("sources");

        var sharepoint = sources.EnumerateArray().Single(s => s.GetProperty("id").GetString() == "sharepoint");
        Assert.True(sharepoint.GetProperty("emulated").GetBoolean());
        Assert.True(sharepoint.GetProperty("requires_connection").GetBoolean());
    }

    [Theory]
    [InlineData("aditi")]
    [InlineData("renata")]
    [InlineData("priya")]
    public async Task Search_ReturnsExactlyWhatTheUserMaySee_AcrossOneDriveAndSites(string userId)
    {
        var user = EmulatedUsers.Find(userId)!;
        var expected = fixture.Workspace.Items.Where(i => i.IsVisibleTo(user) && ContainsWord(i, "the")).ToList();

        var results = await fixture.SearchAsync(userId, "the", maxResults: 50);

        var ids = results.EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToList();
        Assert.Equal(expected.Select(i => fixture.IdOf(i.Name)).Order(), ids.Order());
        // Every user's results span their own OneDrive, files others shared with them, and a site they belong to.
        Assert.Contains(expected, i => i.Drive.Owner == user);
        Assert.Contains(expected, i => i.Drive.Site is not null);
        Assert.Contains(expected, i => i.Drive.Owner is { } owner && owner != user);
    }

    [Fact]
    public async Task TwoUsers_SameQuery_SeeDifferentItems_AndNeitherSeesTheOthersPrivateFiles()
    {
        var aditi = await IdsAsync("aditi", "the");
        var renata = await IdsAsync("renata", "the");

        Assert.Contains(fixture.IdOf("Kestrel firmware rollback.md"), aditi);
        Assert.DoesNotContain(fixture.IdOf("Kestrel firmware rollback.md"), renata);
        Assert.Contains(fixture.IdOf("Pemberton Freight case notes.txt"), renata);
        Assert.DoesNotContain(fixture.IdOf("Pemberton Freight case notes.txt"), aditi);
    }

    [Fact]
    public async Task AnItemTheUserMayNotSee_IsNotFound_ByIdEither()
    {
        var privateToRenata = fixture.IdOf("Calloway Grocers call log.txt");

        using var asAditi = await fixture.FetchAsync("aditi", privateToRenata);
        using var asRenata = await fixture.FetchAsync("renata", privateToRenata);

        Assert.Equal(HttpStatusCode.NotFound, asAditi.StatusCode);
        Assert.Contains("Search again", await DetailAsync(asAditi), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, asRenata.StatusCode);
    }

    [Fact]
    public async Task Search_FollowsFromAndSizePaging_UntilMaxResults()
    {
        using var graph = await fixture.Emulators.ClientForAsync("priya");
        var ranked = (await (await graph.SearchAsync("the", 0, 10)).HitsContainerAsync()).Hits()
            .Select(h => $"sharepoint:{h.GetProperty("resource").GetProperty("parentReference").GetProperty("driveId").GetString()}~{h.GetProperty("hitId").GetString()}")
            .ToList();

        var ids = await IdsAsync("priya", "the", maxResults: 10);

        // Ten results at four a page: three requests, and the same ten, in Graph's order.
        Assert.Equal(10, ranked.Count);
        Assert.Equal(ranked, ids);
    }

    [Fact]
    public async Task AHit_CarriesTitleDeepLinkMarkedSnippetModifiedTimeAuthorAndType()
    {
        var item = fixture.Workspace.Items.Single(i => i.Name == "On-call handoff checklist.txt");

        var hit = (await fixture.SearchAsync("aditi", "handoff")).EnumerateArray().Single(r => r.GetProperty("id").GetString() == fixture.IdOf(item.Name));

        Assert.Equal("sharepoint", hit.GetProperty("source").GetString());
        Assert.Equal(item.Name, hit.GetProperty("title").GetString());
        Assert.Equal(new Uri(item.WebUrl).AbsoluteUri, hit.GetProperty("url").GetString());
        var snippet = hit.GetProperty("snippet").GetString()!;
        Assert.Matches(@"\*\*[Hh]andoff\*\*", snippet);
        Assert.DoesNotContain("<c0>", snippet, StringComparison.Ordinal);
        Assert.DoesNotContain("<ddd/>", snippet, StringComparison.Ordinal);
        Assert.Equal(item.Modified, hit.GetProperty("modified").GetDateTimeOffset());
        Assert.Equal(EmulatedUsers.Aditi.Name, hit.GetProperty("author").GetString());
        Assert.Equal("text/plain", hit.GetProperty("mime_type").GetString());
        Assert.True(hit.GetProperty("score").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, hit.GetProperty("content").ValueKind);
    }

    [Fact]
    public async Task Search_ModifiedAfter_LeavesOutOlderItems()
    {
        var after = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var user = EmulatedUsers.Aditi;
        var expected = fixture.Workspace.Items.Where(i => i.IsVisibleTo(user) && ContainsWord(i, "the") && i.Modified > after).Select(i => fixture.IdOf(i.Name));

        var results = await fixture.SearchAsync("aditi", "the", maxResults: 50, modifiedAfter: after);

        Assert.NotEmpty(expected);
        Assert.Equal(expected.Order(), results.EnumerateArray().Select(r => r.GetProperty("id").GetString()!).Order());
        Assert.All(results.EnumerateArray(), r => Assert.True(r.GetProperty("modified").GetDateTimeOffset() > after));
    }

    // Operators would widen or narrow the search; as words they are only words: the same items as the words typed plainly.
    [Theory]
    [InlineData("author:renata OR -the NOT handoff*", "author renata handoff")]
    [InlineData("title:\"platform\" AND filetype:html", "title platform filetype html")]
    public async Task QuerySyntax_FromTheUser_IsOnlyWords(string query, string plain)
    {
        var results = await fixture.SearchAsync("aditi", query, maxResults: 50);
        var expected = await fixture.SearchAsync("aditi", plain, maxResults: 50);

        Assert.Equal(Ids(expected), Ids(results));
    }

    [Fact]
    public async Task QuerySyntax_WithoutWords_FindsNothing() =>
        Assert.Equal(0, (await fixture.SearchAsync("aditi", "* ( ) : -")).GetArrayLength());

    // The phrase is in the checklist and the Platform SLA: they rank before items holding only some of its words.
    [Fact]
    public async Task A_quoted_phrase_ranks_its_holders_first()
    {
        var results = await fixture.SearchAsync("aditi", "\"on-call handoff\"", maxResults: 50);

        Assert.Equal(
            new[] { fixture.IdOf("On-call handoff checklist.txt"), fixture.IdOf("Platform SLA.html") }.Order(StringComparer.Ordinal),
            Ids(results).Take(2).Order(StringComparer.Ordinal));
    }

    private static List<string> Ids(JsonElement results) => [.. results.EnumerateArray().Select(r => r.GetProperty("id").GetString()!)];

    [Theory]
    [InlineData("Kestrel firmware rollback.md", "aditi")]
    [InlineData("On-call handoff checklist.txt", "aditi")]
    [InlineData("Platform SLA.html", "aditi")]
    [InlineData("Incident postmortem 2025-11.docx", "aditi")]
    [InlineData("Q1 2026 forecast.docx", "renata")]
    public async Task Fetch_ConvertsEachFormat_ToTheSameMarkdownAsTheFileItself(string name, string user)
    {
        var expected = DocumentFormats.Convert(name, new MemoryStream(fixture.Workspace.Items.Single(i => i.Name == name).Content)).Markdown;

        var range = await FetchOkAsync(user, fixture.IdOf(name));

        Assert.Equal(expected, range.GetProperty("content").GetString());
        Assert.Equal(name, range.GetProperty("title").GetString());
        Assert.False(range.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task Fetch_ReadsThePdf_AsItsText()
    {
        var source = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "samples/workspace/product/specs/wren-amr-docking-spec.md"));

        var range = await FetchOkAsync("aditi", fixture.IdOf("Wren AMR docking spec.pdf"));

        Assert.Equal("application/pdf", range.GetProperty("mime_type").GetString());
        Assert.Equal(Words(PdfDocument.Printable(source)), Words(range.GetProperty("content").GetString()!.Replace(PdfToMarkdown.PageBreak, "\n", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Ranges_JoinToTheWholeDocument()
    {
        var id = fixture.IdOf("Incident postmortem 2025-11.docx");
        var whole = (await FetchOkAsync("aditi", id)).GetProperty("content").GetString()!;
        var joined = new StringBuilder();
        int? offset = 0;
        var calls = 0;

        while (offset is { } at)
        {
            var range = await FetchOkAsync("aditi", id, at, 700);
            joined.Append(range.GetProperty("content").GetString());
            Assert.Equal(whole.Length, range.GetProperty("total_chars").GetInt32());
            offset = range.GetProperty("next_offset").ValueKind == JsonValueKind.Null ? null : range.GetProperty("next_offset").GetInt32();
            calls++;
        }

        Assert.True(calls > 2);
        Assert.Equal(whole, joined.ToString());
    }

    [Fact]
    public async Task TheDownload_CarriesNoBearerToken()
    {
        // A new version: the document cache has not seen it, so the fetch downloads it.
        using (var admin = new HttpClient { BaseAddress = fixture.Emulators.BaseAddress })
        {
            var item = fixture.Workspace.Items.Single(i => i.Name == "RFC-017 Fleet API v2.md");
            (await admin.PostAsJsonAsync($"/admin/graph/documents/{item.Id}", new { text = "# RFC-017\n\nFleet API v2, revised." })).EnsureSuccessStatusCode();
        }
        fixture.Downloads.Clear();

        await FetchOkAsync("aditi", fixture.IdOf("RFC-017 Fleet API v2.md"));

        var download = Assert.Single(fixture.Downloads);
        Assert.False(download.Authorized, "the pre-authenticated download URL must be fetched without the user's Graph token");
    }

    [Fact]
    public async Task IncludeContent_GivesEachHitItsMarkdown()
    {
        var results = await fixture.SearchAsync("aditi", "Kestrel", includeContent: true);

        var hit = results.EnumerateArray().Single(r => r.GetProperty("title").GetString() == "Kestrel firmware rollback.md");
        var fetched = await FetchOkAsync("aditi", hit.GetProperty("id").GetString()!);
        Assert.Equal(fetched.GetProperty("content").GetString(), hit.GetProperty("content").GetString());
    }

    public static readonly TheoryData<string> HostileIds = new(
        "sharepoint:",
        "sharepoint:b!abc",
        "sharepoint:b!abc~",
        "sharepoint:~01ABC",
        "sharepoint:b!abc~01ABC~01DEF",
        "sharepoint:..~..",
        "sharepoint:b!abc~..%2F..%2Fme",
        "sharepoint:b!abc~01ABC/content",
        "sharepoint:b!abc~01ABC?$select=id",
        "sharepoint:b!a bc~01ABC",
        "sharepoint:b!abc~01ABC\u0000",
        "sharepoint:b!abc~01\u00c4BC",
        $"sharepoint:b!{new string('a', 300)}~01ABC");

    [Fact]
    public async Task HostileIds_AreRefused_BeforeAnyCallToGraph()
    {
        // Every Graph call of this user fails while the fault is set: a 400 (not a 502) proves no call was made.
        fixture.Emulators.Faults.Add(GraphEmulator.Provider, new Fault(FaultKind.ServerError, Status: 500, User: "priya"));
        try
        {
            foreach (var id in HostileIds)
            {
                using var hostile = await fixture.FetchAsync("priya", id);

                Assert.True(hostile.StatusCode == HttpStatusCode.BadRequest, $"{id}: {hostile.StatusCode}");
                Assert.Contains("exactly as search returned it", await DetailAsync(hostile), StringComparison.Ordinal);
            }
            using var valid = await fixture.FetchAsync("priya", fixture.IdOf("Parental leave policy.md"));
            Assert.Equal(HttpStatusCode.BadGateway, valid.StatusCode);
        }
        finally
        {
            fixture.Emulators.Faults.Clear(GraphEmulator.Provider);
        }
    }

    [Fact]
    public async Task MalformedJson_FromGraph_IsAClearProviderFailure()
    {
        fixture.Emulators.Faults.Add(GraphEmulator.Provider, new Fault(FaultKind.MalformedJson, Count: 1, User: "renata"));

        using var response = await fixture.SearchResponseAsync("renata", "Calloway");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("not valid JSON", await DetailAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttling_WithALongRetryAfter_IsSurfaced_WithItsRetryAfter()
    {
        // Longer than the provider's pipeline waits out (ProviderResilience.MaxRetryAfter, 4 s), so it reaches the caller.
        fixture.Emulators.Faults.Add(GraphEmulator.Provider, new Fault(FaultKind.RateLimited, Count: 1, RetryAfterSeconds: 120, User: "renata"));

        using var response = await fixture.SearchResponseAsync("renata", "Calloway");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(120), response.Headers.RetryAfter?.Delta);
        Assert.Equal("SharePoint and OneDrive asks this service to slow down (its rate limit). Try again in 120 s.", await DetailAsync(response));
    }

    [Fact]
    public async Task A503WithRetryAfter_OnFetch_IsRateLimited()
    {
        fixture.Emulators.Faults.Add(GraphEmulator.Provider, new Fault(FaultKind.ProviderThrottled, RetryAfterSeconds: 90, User: "renata"));
        try
        {
            using var response = await fixture.FetchAsync("renata", fixture.IdOf("Calloway Grocers call log.txt"));

            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(90), response.Headers.RetryAfter?.Delta);
        }
        finally
        {
            fixture.Emulators.Faults.Clear(GraphEmulator.Provider);
        }
    }

    [Fact]
    public async Task AServerErrorOnce_OnSearch_IsRetried_AsTheSearchOnlyReads()
    {
        fixture.Emulators.Faults.Add(GraphEmulator.Provider, new Fault(FaultKind.ServerError, Count: 1, Status: 503, User: "renata"));

        var results = await fixture.SearchAsync("renata", "Calloway");

        Assert.NotEqual(0, results.GetArrayLength());
        Assert.Null(fixture.Emulators.Faults.Take(GraphEmulator.Provider, "renata"));
    }

    [Fact]
    public async Task AFileOverTheDownloadLimit_IsRefused_WithItsSizeAndWhereToOpenIt()
    {
        var item = fixture.Workspace.Items.Single(i => i.Name == "Employee handbook.md");
        Assert.True(item.Content.Length > SharePointFixture.MaxDownloadBytes);
        fixture.Downloads.Clear();

        using var response = await fixture.FetchAsync("priya", fixture.IdOf(item.Name));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = await DetailAsync(response);
        Assert.Contains("MB", detail, StringComparison.Ordinal);
        Assert.Contains("Sources:SharePoint:MaxDownloadBytes", detail, StringComparison.Ordinal);
        Assert.Contains(new Uri(item.WebUrl).AbsoluteUri, detail, StringComparison.Ordinal);
        Assert.Empty(fixture.Downloads);
    }

    [Fact]
    public async Task ARevokedGrant_ReadsNotConnected()
    {
        fixture.Emulators.Faults.Add(GraphEmulator.Provider, new Fault(FaultKind.RevokedGrant, Count: 1, User: "priya"));
        try
        {
            using var response = await fixture.SearchResponseAsync("priya", "handbook");

            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Contains("connect URL", await DetailAsync(response), StringComparison.Ordinal);
        }
        finally
        {
            await fixture.ConnectAsync("priya");
        }
    }

    [Fact]
    public async Task AGrantWithoutFilePermissions_SearchReadsNotConnected_AndFetchNotFound()
    {
        var grant = await fixture.Emulators.GrantAsync("renata", "User.Read");
        var vault = fixture.Connectors.Services.GetRequiredService<GrantVault>();
        await vault.SaveAsync("renata", "sharepoint", new ProviderGrant(grant.GetProperty("access_token").GetString()!, null, null, "User.Read"), CancellationToken.None);
        try
        {
            using var search = await fixture.SearchResponseAsync("renata", "Calloway");
            using var fetch = await fixture.FetchAsync("renata", fixture.IdOf("Calloway Grocers call log.txt"));

            Assert.Equal(HttpStatusCode.Conflict, search.StatusCode);
            Assert.Contains("lacks permission to read files", await DetailAsync(search), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, fetch.StatusCode);
        }
        finally
        {
            await fixture.ConnectAsync("renata");
        }
    }

    [Fact]
    public async Task AUserWhoNeverConnected_ReadsNotConnected()
    {
        using var response = await fixture.SearchResponseAsync("someone-else", "handbook");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    private async Task<List<string>> IdsAsync(string user, string query, int maxResults = 50) =>
        [.. (await fixture.SearchAsync(user, query, maxResults)).EnumerateArray().Select(r => r.GetProperty("id").GetString()!)];

    private async Task<JsonElement> FetchOkAsync(string user, string id, int? offset = null, int? maxChars = null)
    {
        using var response = await fixture.FetchAsync(user, id, offset, maxChars);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;

    private static bool ContainsWord(GraphDriveItem item, string word) =>
        Words(item.Name).Concat(Words(item.Text)).Contains(word, StringComparer.OrdinalIgnoreCase);

    private static IReadOnlyList<string> Words(string text) => [.. WordPattern().Matches(text).Select(m => m.Value)];

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['’][\p{L}]+)?")]
    private static partial Regex WordPattern();
}
