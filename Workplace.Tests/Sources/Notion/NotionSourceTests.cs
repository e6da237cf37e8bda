using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Workplace.Emulators.Faults;
using Workplace.Emulators.Notion;
using Workplace.ServiceDefaults.ConnectorApi;
using Workplace.Tests.Connectors;

namespace Workplace.Tests.Sources.Notion;

/// <summary>The notion source through the internal API of the real Connectors app, against the real Notion emulator.</summary>
[Collection(ConnectorsCollection.Name)]
public sealed class NotionSourceTests(NotionSourceFixture fixture) : IClassFixture<NotionSourceFixture>, IDisposable
{
    private static readonly NotionWorkspace Workspace = new();

    public void Dispose() => fixture.Emulators.Faults.Clear(NotionOAuth.Provider);

    [Fact]
    public async Task ListSources_DescribesNotion_AsEmulated_WithTitleOnlySearch()
    {
        using var client = fixture.ClientFor("aditi");
        var sources = await client.GetFromJsonAsync<JsonElement>(ConnectorRoutes.Sources);
        var notion = sources.GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "notion");
        Assert.Equal("Notion", notion.GetProperty("title").GetString());
        Assert.Contains("matches titles only", notion.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.True(notion.GetProperty("requires_connection").GetBoolean());
        Assert.True(notion.GetProperty("emulated").GetBoolean());
    }

    [Fact]
    public async Task Search_TheSameQuery_GivesEachUserExactlyThePagesTheySee()
    {
        Assert.Equal([NotionSourceFixture.PageId("console-roadmap")], await IdsAsync("aditi", "roadmap"));
        Assert.Equal([NotionSourceFixture.PageId("console-roadmap")], await IdsAsync("renata", "roadmap"));
        Assert.Empty(await IdsAsync("priya", "roadmap"));

        string[] engineering = [NotionSourceFixture.PageId("engineering-home"), NotionSourceFixture.PageId("eng-sync-2026-02-16"), NotionSourceFixture.PageId("eng-sync-2026-02-09")];
        Assert.Equal(engineering, await IdsAsync("aditi", "engineering"));
        Assert.Equal(engineering, await IdsAsync("priya", "engineering"));
        Assert.Empty(await IdsAsync("renata", "engineering"));

        Assert.Equal([NotionSourceFixture.PageId("acme-deal-notes")], await IdsAsync("renata", "acme"));
        Assert.Empty(await IdsAsync("aditi", "acme"));
        // Two words: the title holding both first, then titles holding the more specific words alone.
        Assert.Equal(NotionSourceFixture.PageId("comp-review-2026"), (await IdsAsync("priya", "compensation review"))[0]);
        Assert.DoesNotContain(NotionSourceFixture.PageId("comp-review-2026"), await IdsAsync("aditi", "compensation review"));

        Assert.Equal(NotionSourceFixture.DataSourceId("meeting-notes"), (await IdsAsync("priya", "meeting notes"))[0]);
        Assert.DoesNotContain(NotionSourceFixture.DataSourceId("meeting-notes"), await IdsAsync("renata", "meeting notes"));
    }

    [Fact]
    public async Task Search_AHit_CarriesTheDeepLink_TheEditTime_TheEditorsName_AndTheMatchedWordsMarked()
    {
        using var client = fixture.ClientFor("aditi");
        var (response, body) = await client.SearchAsync("engineering HOME");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The title holding both words first; titles holding "engineering" alone follow.
        var hit = body.GetProperty("results").EnumerateArray().First();
        var id = NotionWorkspace.IdFor("page:engineering-home");
        Assert.Equal(NotionSourceFixture.PageId("engineering-home"), hit.GetProperty("id").GetString());
        Assert.Equal("notion", hit.GetProperty("source").GetString());
        Assert.Equal("Engineering Home", hit.GetProperty("title").GetString());
        Assert.Equal($"https://www.notion.so/Engineering-Home-{id:N}", hit.GetProperty("url").GetString());
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 8, 55, 0, TimeSpan.Zero), hit.GetProperty("modified").GetDateTimeOffset());
        Assert.Equal("Aditi Raman", hit.GetProperty("author").GetString());
        Assert.Equal("**Engineering** **Home**", hit.GetProperty("snippet").GetString());
        Assert.Equal(1.0, hit.GetProperty("score").GetDouble());
        Assert.Equal(JsonValueKind.Null, hit.GetProperty("content").ValueKind);

        (_, body) = await client.SearchAsync("meeting");
        var database = Assert.Single(body.GetProperty("results").EnumerateArray());
        Assert.Equal("Database: **Meeting** notes", database.GetProperty("snippet").GetString());
    }

    [Fact]
    public async Task Search_FollowsNotionsCursors_UntilMaxResults()
    {
        // Two results per Notion call (SearchPageSize): Aditi's pages with an "e" in the title take several calls.
        var expected = Workspace.Pages.Where(p => p.Readers.Contains("aditi") && p.Title.Contains('e', StringComparison.OrdinalIgnoreCase)).Select(p => (Edited: p.Edited, Id: "notion:" + p.Id.ToString("D")))
            .Concat(Workspace.Databases.Where(d => d.Readers.Contains("aditi") && d.Title.Contains('e', StringComparison.OrdinalIgnoreCase)).Select(d => (Edited: d.Edited, Id: "notion:ds-" + d.DataSourceId.ToString("D"))))
            .OrderByDescending(r => r.Edited).Select(r => r.Id).ToList();
        Assert.True(expected.Count > 3 * NotionSourceFixture.SearchPageSize);

        Assert.Equal(expected, await IdsAsync("aditi", "e", maxResults: 50));
        Assert.Equal(expected.Take(5), await IdsAsync("aditi", "e", maxResults: 5));

        using var client = fixture.ClientFor("aditi");
        var (_, body) = await client.SearchAsync("e", maxResults: 50);
        var scores = body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("score").GetDouble()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
        Assert.Equal(scores.Count, scores.Distinct().Count());
    }

    [Fact]
    public async Task Search_ModifiedAfter_KeepsOnlyWhatWasEditedSince()
    {
        var after = new DateTimeOffset(2026, 2, 27, 0, 0, 0, TimeSpan.Zero);
        var expected = Workspace.Pages.Where(p => p.Readers.Contains("aditi") && p.Title.Contains('e', StringComparison.OrdinalIgnoreCase) && p.Edited > after)
            .OrderByDescending(p => p.Edited).Select(p => "notion:" + p.Id.ToString("D")).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, await IdsAsync("aditi", "e", maxResults: 50, modifiedAfter: after));
        Assert.Empty(await IdsAsync("aditi", "e", maxResults: 50, modifiedAfter: new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public async Task Search_WithContent_CarriesEachPagesMarkdown()
    {
        using var client = fixture.ClientFor("renata");
        var (_, body) = await client.SearchAsync("acme", includeContent: true);
        var hit = Assert.Single(body.GetProperty("results").EnumerateArray());
        Assert.Equal(AcmeDealNotes, hit.GetProperty("content").GetString());

        // A page too large to read whole is still found; its fetch says why it has no content.
        (_, body) = await client.SearchAsync("employee handbook", includeContent: true);
        hit = Assert.Single(body.GetProperty("results").EnumerateArray());
        Assert.Equal(NotionSourceFixture.PageId("employee-handbook"), hit.GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Null, hit.GetProperty("content").ValueKind);
    }

    [Fact]
    public async Task Fetch_APageAUserMayNotSee_IsNotFound_AndSaysWhy()
    {
        using var renata = fixture.ClientFor("renata");
        var (response, body) = await renata.FetchAsync(NotionSourceFixture.PageId("engineering-home"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("not shared with the Workplace integration", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        (response, _) = await renata.FetchAsync(NotionSourceFixture.PageId("fleet-platform-architecture"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        (response, _) = await renata.FetchAsync(NotionSourceFixture.DataSourceId("meeting-notes"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);

        using var priya = fixture.ClientFor("priya");
        (response, _) = await priya.FetchAsync(NotionSourceFixture.PageId("console-roadmap"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        (response, _) = await priya.FetchAsync("notion:" + Guid.NewGuid().ToString("N"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);

        using var aditi = fixture.ClientFor("aditi");
        Assert.StartsWith("# Engineering Home\n", await aditi.MarkdownAsync(NotionSourceFixture.PageId("engineering-home")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_TurnsEveryBlockKindOfTheSamples_IntoMarkdown()
    {
        using var aditi = fixture.ClientFor("aditi");
        Assert.Equal(EngineeringHome, await aditi.MarkdownAsync(NotionSourceFixture.PageId("engineering-home")));
        Assert.Equal(ConsoleRoadmap, await aditi.MarkdownAsync(NotionSourceFixture.PageId("console-roadmap")));
        Assert.Equal(OneOnOne, await aditi.MarkdownAsync(NotionSourceFixture.PageId("aditi-one-on-one")));
        using var renata = fixture.ClientFor("renata");
        Assert.Equal(AcmeDealNotes, await renata.MarkdownAsync(NotionSourceFixture.PageId("acme-deal-notes")));
    }

    [Fact]
    public async Task Fetch_AnIdWithoutDashes_ReadsTheSamePage_UnderItsCanonicalId()
    {
        using var aditi = fixture.ClientFor("aditi");
        var (response, body) = await aditi.FetchAsync("notion:" + NotionWorkspace.IdFor("page:console-roadmap").ToString("N"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(NotionSourceFixture.PageId("console-roadmap"), body.GetProperty("id").GetString());
        Assert.Equal(ConsoleRoadmap, body.GetProperty("content").GetString());
        Assert.Equal("Fleet Console roadmap for customers", body.GetProperty("title").GetString());
        Assert.Equal(new DateTimeOffset(2026, 3, 4, 9, 30, 0, TimeSpan.Zero), body.GetProperty("modified").GetDateTimeOffset());
    }

    [Fact]
    public async Task Fetch_ADatabase_ListsTheRowsAsLinks()
    {
        using var priya = fixture.ClientFor("priya");
        // In the order Notion answers a query without sorts.
        Assert.Equal(
            "# Meeting notes\n\n"
            + $"- [Weekly Engineering Sync — 2026-02-16](https://www.notion.so/Weekly-Engineering-Sync-20260216-{NotionWorkspace.IdFor("page:eng-sync-2026-02-16"):N}) (edited 2026-02-16)\n"
            + $"- [Weekly Engineering Sync — 2026-02-09](https://www.notion.so/Weekly-Engineering-Sync-20260209-{NotionWorkspace.IdFor("page:eng-sync-2026-02-09"):N}) (edited 2026-02-09)\n",
            await priya.MarkdownAsync(NotionSourceFixture.DataSourceId("meeting-notes")));
    }

    [Fact]
    public async Task Fetch_APageOfMoreThanOneHundredBlocks_FollowsTheBlockCursors()
    {
        using var priya = fixture.ClientFor("priya");
        var markdown = await priya.MarkdownAsync(NotionSourceFixture.PageId("fleet-platform-architecture"));
        var source = SampleLines("fleet-platform-architecture");
        // Every heading of the sample, in order: the 161 top-level blocks come in two pages of children.
        var headings = source.Where(l => l.StartsWith('#')).Skip(1).ToList();
        Assert.True(headings.Count > 30);
        var position = 0;
        foreach (var heading in headings)
        {
            position = markdown.IndexOf("\n" + heading + "\n", position, StringComparison.Ordinal);
            Assert.True(position >= 0, $"missing or out of order: {heading}");
        }
        Assert.EndsWith("\n\n" + source.Last(l => l.Length > 0) + "\n", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_InRanges_JoinsToTheWholeDocument()
    {
        using var priya = fixture.ClientFor("priya");
        var id = NotionSourceFixture.PageId("fleet-platform-architecture");
        var whole = await priya.MarkdownAsync(id);
        var joined = new System.Text.StringBuilder();
        int? offset = 0;
        var ranges = 0;
        while (offset is { } start)
        {
            var (response, body) = await priya.FetchAsync(id, start, 4_000);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(start, body.GetProperty("offset").GetInt32());
            Assert.Equal(whole.Length, body.GetProperty("total_chars").GetInt32());
            joined.Append(body.GetProperty("content").GetString());
            offset = body.GetProperty("next_offset").ValueKind == JsonValueKind.Null ? null : body.GetProperty("next_offset").GetInt32();
            Assert.Equal(offset is not null, body.GetProperty("truncated").GetBoolean());
            ranges++;
        }
        Assert.True(ranges > 5);
        Assert.Equal(whole, joined.ToString());

        var (past, problem) = await priya.FetchAsync(id, whole.Length + 1);
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Contains($"total_chars is {whole.Length}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_HostileIds_AreRefused_BeforeNotionIsCalled()
    {
        // A broken answer waits for Aditi's next Notion call: if any hostile id reached Notion, it would be used up.
        fixture.Emulators.Faults.Add(NotionOAuth.Provider, new Fault(FaultKind.MalformedJson, Count: 1, User: "aditi"));
        using var aditi = fixture.ClientFor("aditi");
        var uuid = NotionWorkspace.IdFor("page:engineering-home").ToString("D");
        string[] hostile =
        [
            "notion:",
            "notion:ds-",
            "notion:../../v1/users",
            $"notion:{uuid}/children",
            $"notion:{uuid}?start_cursor=x",
            $"notion:../pages/{uuid}",
            $"notion:%2e%2e%2f{uuid}",
            $"notion: {uuid}",
            $"notion:{{{uuid}}}",
            $"notion:({uuid})",
            $"notion:{uuid[..^1]}g",
            $"notion:{uuid}{uuid}",
            $"notion:DS-{uuid}",
            $"notion:ds-ds-{uuid}",
            "notion:0x00000000,0x0000,0x0000,{0x00,0x00,0x00,0x00,0x00,0x00,0x00,0x00}",
            "notion:" + new string('a', 1_000),
        ];
        foreach (var id in hostile)
        {
            var (response, body) = await aditi.FetchAsync(id);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{id}: {(int)response.StatusCode}");
            Assert.StartsWith("invalid id", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        Assert.True(fixture.Emulators.Faults.Has(NotionOAuth.Provider, FaultKind.MalformedJson, "aditi"));
    }

    [Fact]
    public async Task MalformedJsonFromNotion_IsAClearProviderFailure()
    {
        using var renata = fixture.ClientFor("renata");
        fixture.Emulators.Faults.Add(NotionOAuth.Provider, new Fault(FaultKind.MalformedJson, Count: 1, User: "renata"));
        var (response, body) = await renata.FetchAsync(NotionSourceFixture.PageId("acme-deal-notes"));
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("not valid JSON", body.GetProperty("detail").GetString(), StringComparison.Ordinal);

        fixture.Emulators.Faults.Add(NotionOAuth.Provider, new Fault(FaultKind.MalformedJson, Count: 1, User: "renata"));
        (response, body) = await renata.SearchAsync("acme");
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("not valid JSON", body.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The fault was one answer: the next call reads the page.
        Assert.Equal(AcmeDealNotes, await renata.MarkdownAsync(NotionSourceFixture.PageId("acme-deal-notes")));
    }

    [Fact]
    public async Task Fetch_APageOverTheBlockLimit_IsAClearError_NotAHang()
    {
        using var priya = fixture.ClientFor("priya");
        var (response, body) = await priya.FetchAsync(NotionSourceFixture.PageId("employee-handbook"));
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var detail = body.GetProperty("detail").GetString();
        Assert.Contains($"more than {NotionSourceFixture.MaxBlocks} blocks", detail, StringComparison.Ordinal);
        Assert.Contains("Sources:Notion:MaxBlocks", detail, StringComparison.Ordinal);
        Assert.Contains($"https://www.notion.so/Halcyon-Robotics-Employee-Handbook-{NotionWorkspace.IdFor("page:employee-handbook"):N}", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_BlocksNestedDeeperThanTheLimit_AreAClearError()
    {
        await using var shallow = await fixture.StartConnectorsAsync(("Sources:Notion:MaxDepth", "1"));
        using var aditi = fixture.ClientFor("aditi", shallow);
        // The toggles and the table of Engineering Home hold blocks: depth 2.
        var (response, body) = await aditi.FetchAsync(NotionSourceFixture.PageId("engineering-home"));
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var detail = body.GetProperty("detail").GetString();
        Assert.Contains("nested more than 1 deep", detail, StringComparison.Ordinal);
        Assert.Contains("Sources:Notion:MaxDepth", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHungNotion_IsATimeout_WithinTheDeadline()
    {
        await using var impatient = await fixture.StartConnectorsAsync(
            ("HttpResilience:Clients:Notion:AttemptTimeout:Timeout", "00:00:01"),
            ("HttpResilience:Clients:Notion:TotalRequestTimeout:Timeout", "00:00:02"),
            ("HttpResilience:Clients:Notion:CircuitBreaker:SamplingDuration", "00:00:02"));
        fixture.Emulators.Faults.Add(NotionOAuth.Provider, new Fault(FaultKind.Hang, User: "renata"));
        using var renata = fixture.ClientFor("renata", impatient);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var (response, body) = await renata.FetchAsync(NotionSourceFixture.PageId("acme-deal-notes"));
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("did not answer within 2 s", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(15), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task TheCallersCancellation_Propagates_AsCancellation()
    {
        fixture.Emulators.Faults.Add(NotionOAuth.Provider, new Fault(FaultKind.Hang, User: "renata"));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            fixture.Source.FetchAsync(NotionSourceFixture.Principal("renata"), NotionWorkspace.IdFor("page:acme-deal-notes").ToString("D"), 0, 1_000, cancel.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            fixture.Source.SearchAsync(NotionSourceFixture.Principal("renata"), new SearchRequest("acme", 10, false, null), cancel.Token));
    }

    [Fact]
    public async Task AnAnswerLargerThanTheLimit_IsAClearError()
    {
        await using var small = await fixture.StartConnectorsAsync(("Sources:Notion:MaxResponseBytes", "2048"));
        using var priya = fixture.ClientFor("priya", small);
        // The first hundred blocks of the architecture document are far more than 2 KB.
        var (response, body) = await priya.FetchAsync(NotionSourceFixture.PageId("fleet-platform-architecture"));
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var detail = body.GetProperty("detail").GetString();
        Assert.Contains("more than 2,048 bytes", detail, StringComparison.Ordinal);
        Assert.Contains("Sources:Notion:MaxResponseBytes", detail, StringComparison.Ordinal);
        // A small answer is read.
        (response, body) = await priya.SearchAsync("offsite");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(NotionSourceFixture.PageId("zurich-offsite"), Assert.Single(body.GetProperty("results").EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task ARevokedGrant_ReadsNotConnected()
    {
        fixture.Emulators.Faults.Add(NotionOAuth.Provider, new Fault(FaultKind.RevokedGrant, User: "priya"));
        try
        {
            using var priya = fixture.ClientFor("priya");
            var (response, body) = await priya.SearchAsync("handbook");
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Contains("connect again", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
            // The refresh Notion refused dropped the grant: the next call does not try it again.
            Assert.False(await fixture.IsConnectedAsync("priya"));
            (response, body) = await priya.FetchAsync(NotionSourceFixture.PageId("employee-handbook"));
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Contains("not connected", body.GetProperty("detail").GetString(), StringComparison.Ordinal);

            // Others are not affected.
            using var aditi = fixture.ClientFor("aditi");
            (response, _) = await aditi.SearchAsync("handbook");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        finally
        {
            fixture.Emulators.Faults.Clear(NotionOAuth.Provider);
            await fixture.ReconnectAsync("priya");
        }
    }

    [Theory]
    [InlineData(FaultKind.ServerError)]
    [InlineData(FaultKind.ProviderThrottled)]
    public async Task ASearchNotionFailsOnce_IsRetried_AndSucceeds(FaultKind kind)
    {
        // Notion's search is a POST that only reads: it is retried like a GET, also on the answers after which a
        // POST that writes would not be (a 503, Notion's 529).
        fixture.Emulators.Faults.Add(NotionOAuth.Provider, new Fault(kind, Count: 1, RetryAfterSeconds: 1, User: "renata"));
        Assert.Equal([NotionSourceFixture.PageId("acme-deal-notes")], await IdsAsync("renata", "acme"));
        Assert.False(fixture.Emulators.Faults.Has(NotionOAuth.Provider, kind, "renata"));
    }

    [Theory]
    [InlineData(FaultKind.RateLimited)]
    [InlineData(FaultKind.ProviderThrottled)]
    public async Task NotionSayingSlowDown_OnEveryTry_IsRateLimited_WithRetryAfter(FaultKind kind)
    {
        fixture.Emulators.Faults.Add(NotionOAuth.Provider, new Fault(kind, RetryAfterSeconds: 1, User: "renata"));
        using var renata = fixture.ClientFor("renata");
        var (response, body) = await renata.SearchAsync("acme");
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Equal("Notion asks this service to slow down (its rate limit). Try again in 1 s.", body.GetProperty("detail").GetString());
    }

    private async Task<List<string>> IdsAsync(string user, string query, int maxResults = 10, DateTimeOffset? modifiedAfter = null)
    {
        using var client = fixture.ClientFor(user);
        var (response, body) = await client.SearchAsync(query, maxResults, modifiedAfter);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return [.. body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()!)];
    }

    private static List<string> SampleLines(string slug)
    {
        using var stream = typeof(NotionWorkspace).Assembly.GetManifestResourceStream($"Notion/{slug}.md")!;
        using var reader = new StreamReader(stream);
        var lines = reader.ReadToEnd().ReplaceLineEndings("\n").Split('\n');
        // Lines inside code fences are code, not headings.
        var inFence = false;
        return [.. lines.Where(line =>
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                return false;
            }
            return !inFence;
        })];
    }

    private static string Link(string slug) => $"https://www.notion.so/{NotionWorkspace.IdFor("page:" + slug):N}";

    private static readonly string EngineeringHome = $$"""
        # Engineering Home

        Welcome to the **Engineering** teamspace. It holds the documents the platform, console, perception and firmware teams keep current: architecture, runbooks and the notes of every weekly sync. Ask in #eng-help if you cannot find something, and move stale pages to the *Archive* section instead of deleting them.

        > 💡 This teamspace is closed: only members see it. Ask Tobias Reinholt or Aditi Raman to be added.

        ## Start here

        - [ ] Read the architecture overview below before your first on-call shift
        - [ ] Join #eng-sync and #incidents
        - [x] Bookmark the [Fleet Console status page](https://status.halcyon-robotics.example)

        Page: [Fleet Platform Architecture (v3)]({{Link("fleet-platform-architecture")}})

        Page: [Runbook: Kestrel Gripper Firmware Rollback]({{Link("kestrel-firmware-rollback")}})

        Database: [Meeting notes](https://www.notion.so/{{NotionWorkspace.IdFor("database:meeting-notes"):N}})

        # Teams

        | Team | Lead | Site | Focus |
        | --- | --- | --- | --- |
        | Platform | Felix Amundsen | Portland | Fleet API, NATS event bus, Timescale |
        | Console | Aditi Raman | Portland | Fleet Console web app and customer dashboards |
        | Perception | Søren Lindqvist | Zürich | Heron site autonomy, mapping |
        | Firmware | Jonah Whitlock | Portland | Kestrel gripper and Wren AMR firmware |

        ---

        <details>
        <summary>How we write design documents</summary>

        Every change that touches more than one service starts as an RFC in the *specs* folder. Keep it short: the problem, the options you considered, the one you chose and why.

        1. Draft the RFC and share it in #eng-design
        2. Collect comments for at least three working days
        3. Record the decision as an ADR

        </details>

        <details>
        <summary>Release train</summary>

        Console ships every Tuesday; firmware ships monthly behind a staged rollout of 5 %, 25 % and 100 % of the fleet.

        </details>

        ```bash
        make release-notes SINCE=2026-02-01
        ```

        [https://github.com/halcyon-robotics/engineering-handbook](https://github.com/halcyon-robotics/engineering-handbook)

        """;

    private const string ConsoleRoadmap = """
        # Fleet Console roadmap for customers

        *Owner: Aditi Raman · Shared with Sales (Renata Vashti) · Updated 2026-03-04*

        This page is the version of the Fleet Console roadmap that Sales may show to customers under NDA. It lists what we are confident we will ship, not everything we are working on. Dates are quarters, never days.

        > ⚠️ Do not paste this page into proposals. Link to it from the deal room and walk the customer through it live.

        ## Shipping in Q2 2026

        1. **Site list and health overview** — one screen for every site, robot counts and open alerts
        2. **Alert routing** — send Kestrel and Wren alerts to PagerDuty, Opsgenie or email
        3. **Single sign-on** — SAML and OIDC for enterprise plans

        ## Planned for Q3 2026

        - Multi-site map with live robot positions
        - Shift reports exported as PDF every morning
        - API v2 for customer integrations (see [RFC-017](https://docs.halcyon-robotics.example/rfc-017))

        ## What customers ask for that we are not building

        | Request | Why not | Alternative |
        | --- | --- | --- |
        | On-premise Console | Operating cost and security patching | Dedicated tenant in the customer's region |
        | Custom robot skins | Not a product priority | Decals through Field Service |
        | Real-time video | Bandwidth on customer sites | Snapshot on alert |

        ![Console v4 site list mock-up](https://assets.halcyon-robotics.example/console/v4-site-list.png)

        [https://www.halcyon-robotics.example/products/fleet-console](https://www.halcyon-robotics.example/products/fleet-console)

        """;

    private const string OneOnOne = """
        # 1:1 notes — Aditi / Tobias

        *Private working notes, Aditi Raman. Not for sharing.*

        ## 2026-03-02

        Tobias wants the **Fleet Console v4** scope frozen by the end of March so the Austin launch customers see the new dashboards in Q2. I pushed back on including the *multi-site map* in the first cut: the Timescale downsampling work is not done, and the map needs it for sites with more than 40 robots.

        We agreed to ship the site list and alerting first, and to put the map behind a feature flag for Acme Logistics only.

        - Console headcount: one backfill approved for the front-end role Mateo left
        - Promotion case for Lena: Tobias will sponsor it at the April calibration
        - On-call load: two pages a week per engineer is still too many; Mei-Lin will look at alert thresholds

        ### Action items

        - [ ] Send Tobias the v4 scope document by Friday
        - [ ] Write the promotion packet for Lena
        - [x] Ask Mei-Lin for the February paging report

        ## 2026-02-16

        Short one. Talked about the Zürich offsite and whether Console should send two people. Tobias prefers that the whole team attend the perception demo day instead.

        <details>
        <summary>Career notes (for my own review)</summary>

        I want to move toward a director role within eighteen months. Tobias suggested I take over the Platform team's roadmap reviews as a stretch.

        - Lead the Q2 planning for Platform and Console together
        - Mentor one new engineering manager

        </details>

        > Feedback from Tobias: "Say no earlier, and write down why."

        """;

    private const string AcmeDealNotes = """
        # Acme Logistics deal notes

        *Private to Renata Vashti · last call 2026-03-03*

        Acme Logistics runs eleven distribution centres in the western United States and wants Wren AMRs in six of them by the end of the year. Their VP of Operations, Dana Whitfield, is the champion; procurement is led by Marcus Lee, who has asked for a 20 % discount on the three-year term.

        ## What they care about

        - Uptime: their SLA to retailers carries penalties, so they ask for 99.5 % robot availability
        - A single view of every site (the Fleet Console multi-site map)
        - Integration with their warehouse management system through the Fleet API

        ## Pricing positions

        | Option | Term | Discount | Notes |
        | --- | --- | --- | --- |
        | A | 3 years | 12 % | Our opening position |
        | B | 3 years | 17 % | Needs CFO approval (Desmond) |
        | C | 5 years | 20 % | Only with a public case study |

        > Dana: "If you can show me the map working at one site in June, the rest is paperwork."

        ```
        Next call: 2026-03-10 09:00 PT · dial-in in the calendar invite
        ```

        """;
}
