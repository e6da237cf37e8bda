using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Workplace.Connectors.Content;
using Workplace.Connectors.Credentials;
using Workplace.Connectors.Sources;
using Workplace.Emulators.Faults;
using Workplace.Emulators.Google;
using Workplace.Emulators.Google.Workspace;
using Workplace.ServiceDefaults.ConnectorApi;
using Workplace.Tests.Connectors;

namespace Workplace.Tests.Sources.GoogleDrive;

/// <summary>google_drive through the internal API of the real Connectors app, against the real Google emulator.</summary>
[Collection(ConnectorsCollection.Name)]
public sealed class GoogleDriveSourceTests(GoogleDriveFixture fixture) : IClassFixture<GoogleDriveFixture>, IDisposable
{
    private static readonly DateTimeOffset s_february15 = new(2026, 2, 15, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ListSources_ShowsGoogleDrive_AsEmulatedAndNeedingAConnection()
    {
        using var client = fixture.ClientFor("aditi");

        var sources = (await client.GetFromJsonAsync<JsonElement>(ConnectorRoutes.Sources)).GetProperty("sources").EnumerateArray();

        var drive = Assert.Single(sources, s => s.GetProperty("id").GetString() == GoogleDriveFixture.Source);
        Assert.True(drive.GetProperty("emulated").GetBoolean());
        Assert.True(drive.GetProperty("requires_connection").GetBoolean());
    }

    [Fact]
    public async Task Search_SameQuery_EachUserSeesExactlyTheirOwnDocuments()
    {
        using var aditi = fixture.ClientFor("aditi");
        using var renata = fixture.ClientFor("renata");

        var aditiSees = (await aditi.ResultsAsync("Northwind")).Select(r => r.GetProperty("id").GetString()!).ToHashSet();
        var renataSees = (await renata.ResultsAsync("Northwind")).Select(r => r.GetProperty("id").GetString()!).ToHashSet();

        Assert.Equal(GoogleDriveFixture.Expected("aditi", "Northwind"), aditiSees);
        Assert.Equal(GoogleDriveFixture.Expected("renata", "Northwind"), renataSees);
        // Each has a private file, a shared one and one in the shared drive among them; the private ones differ.
        Assert.Contains(GoogleDriveFixture.IdOf(GoogleDriveFixture.File("1-1 notes Ines Zamora.txt")), aditiSees);
        Assert.DoesNotContain(GoogleDriveFixture.IdOf(GoogleDriveFixture.File("1-1 notes Ines Zamora.txt")), renataSees);
        Assert.Contains(GoogleDriveFixture.IdOf(GoogleDriveFixture.File("Northwind Logistics proposal.docx")), renataSees);
        Assert.DoesNotContain(GoogleDriveFixture.IdOf(GoogleDriveFixture.File("Northwind Logistics proposal.docx")), aditiSees);
        Assert.Contains(GoogleDriveFixture.IdOf(GoogleDriveFixture.File("Northwind pilot demo script")), aditiSees.Intersect(renataSees));
        Assert.Contains(GoogleDriveFixture.IdOf(GoogleDriveFixture.File("Kestrel safety certification plan.pdf")), aditiSees.Intersect(renataSees));
    }

    [Fact]
    public async Task Search_UserOutsideTheSharedDrive_DoesNotSeeItsFiles()
    {
        using var priya = fixture.ClientFor("priya");

        var ids = (await priya.ResultsAsync("Kestrel")).Select(r => r.GetProperty("id").GetString()!).ToHashSet();

        Assert.Equal(GoogleDriveFixture.Expected("priya", "Kestrel"), ids);
        Assert.DoesNotContain(ids, id => DriveWorkspace.Sample.Files.Any(f => f.DriveId is not null && GoogleDriveFixture.IdOf(f) == id));
    }

    [Fact]
    public async Task Search_MoreResultsThanAPage_FollowsPages()
    {
        using var aditi = fixture.ClientFor("aditi");
        var expected = GoogleDriveFixture.Expected("aditi", "Fleet");
        Assert.True(expected.Count > 2 * GoogleDriveFixture.PageSize, $"the sample should hold more than two pages of 'Fleet' for Aditi, not {expected.Count}");

        var results = await aditi.ResultsAsync("Fleet");

        Assert.Equal(expected, results.Select(r => r.GetProperty("id").GetString()!).ToHashSet());
    }

    [Fact]
    public async Task Search_MaxResults_StopsPaging_AtThatMany()
    {
        using var aditi = fixture.ClientFor("aditi");

        var results = await aditi.ResultsAsync("Fleet", maxResults: 3);

        Assert.Equal(3, results.Length);
        Assert.True(results.Zip(results.Skip(1)).All(p => p.First.GetProperty("score").GetDouble() > p.Second.GetProperty("score").GetDouble()), "scores fall down the list");
    }

    [Fact]
    public async Task Search_Hit_CarriesDeepLinkAuthorMimeTypeAndMarkedSnippet()
    {
        using var aditi = fixture.ClientFor("aditi");
        var file = GoogleDriveFixture.File("Northwind pilot demo script");

        var hit = Assert.Single(await aditi.ResultsAsync("Northwind"), r => r.GetProperty("id").GetString() == GoogleDriveFixture.IdOf(file));

        Assert.Equal(GoogleDriveFixture.Source, hit.GetProperty("source").GetString());
        Assert.Equal(file.Name, hit.GetProperty("title").GetString());
        Assert.Equal($"https://docs.google.com/document/d/{file.Id}/edit?usp=drivesdk", hit.GetProperty("url").GetString());
        Assert.Equal("Renata Vashti", hit.GetProperty("author").GetString());
        Assert.Equal(DriveMimeTypes.Document, hit.GetProperty("mime_type").GetString());
        Assert.Equal(file.Modified, hit.GetProperty("modified").GetDateTimeOffset());
        Assert.Contains("**Northwind**", hit.GetProperty("snippet").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, hit.GetProperty("content").ValueKind);
    }

    [Fact]
    public async Task Search_IncludeContent_CarriesTheMarkdown_AndASnippetFromIt()
    {
        using var aditi = fixture.ClientFor("aditi");
        var file = GoogleDriveFixture.File("Fleet Console release process");

        var hit = Assert.Single(await aditi.ResultsAsync("rollback canary", includeContent: true), r => r.GetProperty("id").GetString() == GoogleDriveFixture.IdOf(file));

        Assert.Equal(file.Markdown(), hit.GetProperty("content").GetString());
        Assert.Matches(@"\*\*(?i:rollback|canary)\*\*", hit.GetProperty("snippet").GetString()!);
    }

    [Fact]
    public async Task Search_ModifiedAfter_LeavesOutOlderFiles()
    {
        using var renata = fixture.ClientFor("renata");

        var all = (await renata.ResultsAsync("Northwind")).Select(r => r.GetProperty("id").GetString()!).ToHashSet();
        var recent = await renata.ResultsAsync("Northwind", modifiedAfter: s_february15);

        Assert.Equal(GoogleDriveFixture.Expected("renata", "Northwind", s_february15), recent.Select(r => r.GetProperty("id").GetString()!).ToHashSet());
        Assert.NotEmpty(recent);
        Assert.True(recent.Length < all.Count, "some of Renata's Northwind files are older than 15 February");
        Assert.All(recent, r => Assert.True(r.GetProperty("modified").GetDateTimeOffset() > s_february15));
    }

    [Fact]
    public async Task Search_TrashedFiles_AreLeftOut()
    {
        using var aditi = fixture.ClientFor("aditi");

        var results = await aditi.ResultsAsync("superseded");

        Assert.DoesNotContain(results, r => r.GetProperty("id").GetString() == GoogleDriveFixture.IdOf(GoogleDriveFixture.File("Console roadmap draft (old)")));
    }

    [Fact]
    public async Task Search_NoFileHoldsEveryWord_FallsBackToAnyWord()
    {
        using var priya = fixture.ClientFor("priya");

        var results = await priya.ResultsAsync("compensation zzyzxnotaword");

        Assert.Equal(GoogleDriveFixture.Expected("priya", "compensation"), results.Select(r => r.GetProperty("id").GetString()!).ToHashSet());
        Assert.All(results, r => Assert.InRange(r.GetProperty("score").GetDouble(), 0, 1));
    }

    [Fact]
    public async Task Search_WholePhrase_RanksAboveFilesHoldingOnlyTheWords()
    {
        using var aditi = fixture.ClientFor("aditi");

        var results = await aditi.ResultsAsync("pilot demo");

        Assert.Equal(GoogleDriveFixture.IdOf(GoogleDriveFixture.File("Northwind pilot demo script")), results[0].GetProperty("id").GetString());
        Assert.True(results[0].GetProperty("score").GetDouble() >= 2, "an exact-phrase match ranks in the top tier");
    }

    [Theory]
    [InlineData("Renata's pipeline")]
    [InlineData("Renata\\'s pipeline")]
    [InlineData("pipeline' or name contains '")]
    [InlineData("pipeline \\")]
    [InlineData("\"Renata's\" pipeline ) or (")]
    public async Task Search_QuotesAndBackslashes_StayInsideTheQuery(string query)
    {
        using var renata = fixture.ClientFor("renata");

        var results = await renata.ResultsAsync(query);

        // Every query holds "pipeline": the review is found, and nothing typed may widen q beyond the query's words.
        Assert.Contains(results, r => r.GetProperty("title").GetString() == "Renata's Q1 2026 pipeline review");
        var holdingAWord = DriveText.Words(query).SelectMany(w => GoogleDriveFixture.Expected("renata", w)).ToHashSet();
        Assert.All(results, r => Assert.Contains(r.GetProperty("id").GetString()!, holdingAWord));
    }

    [Theory]
    [InlineData("* ( ) ^ : -")]
    [InlineData("\"\"")]
    public async Task Search_NoWordsInTheQuery_AnswersNothing(string query)
    {
        using var aditi = fixture.ClientFor("aditi");

        Assert.Empty(await aditi.ResultsAsync(query));
    }

    [Fact]
    public async Task Fetch_GoogleDoc_IsItsMarkdownExport()
    {
        using var aditi = fixture.ClientFor("aditi");
        var file = GoogleDriveFixture.File("Northwind pilot demo script");

        var range = await aditi.RangeAsync(GoogleDriveFixture.IdOf(file));

        Assert.Equal(file.Markdown(), range.GetProperty("content").GetString());
        Assert.Equal(file.Name, range.GetProperty("title").GetString());
        Assert.Equal(DriveMimeTypes.Document, range.GetProperty("mime_type").GetString());
        Assert.Equal(file.Modified, range.GetProperty("modified").GetDateTimeOffset());
        Assert.False(range.GetProperty("truncated").GetBoolean());
    }

    [Theory]
    [InlineData("aditi", "1-1 notes Ines Zamora.txt", "- Northwind demo script drafted")]
    [InlineData("renata", "Northwind Logistics proposal.docx", "# Proposal: Kestrel autonomous picking pilot for Northwind Logistics")]
    [InlineData("aditi", "Field service runbook.html", "# Field service runbook")]
    public async Task Fetch_UploadedFile_IsConvertedByItsType(string user, string name, string expectedLine)
    {
        using var client = fixture.ClientFor(user);
        var file = GoogleDriveFixture.File(name);

        var range = await client.RangeAsync(GoogleDriveFixture.IdOf(file));

        var content = range.GetProperty("content").GetString()!;
        Assert.Equal(DocumentFormats.ConvertMimeType(file.MimeType, new MemoryStream(file.Bytes))!.Markdown, content);
        Assert.Contains(content.Split('\n'), line => line.Trim().StartsWith(expectedLine, StringComparison.Ordinal));
        Assert.Equal(file.MimeType, range.GetProperty("mime_type").GetString());
    }

    [Fact]
    public async Task Fetch_Pdf_IsReadAsTheMarkdownOfItsText()
    {
        using var priya = fixture.ClientFor("priya");
        var file = GoogleDriveFixture.File("Employee handbook 2026.pdf");
        var expected = DocumentFormats.ConvertMimeType(file.MimeType, new MemoryStream(file.Bytes))!.Markdown;

        var range = await priya.RangeAsync(GoogleDriveFixture.IdOf(file));
        var whole = await priya.WholeAsync(GoogleDriveFixture.IdOf(file), maxChars: 20_000);

        Assert.Equal("application/pdf", range.GetProperty("mime_type").GetString());
        Assert.True(whole.Length > 20_000, $"the handbook is longer than one default range: {whole.Length} chars");
        Assert.Equal(expected, whole);
        // The text the PDF was printed from, page breaks aside: Drive's bytes were read, not a refusal or an empty page.
        Assert.Contains("Halcyon Robotics Employee Handbook 2026", whole, StringComparison.Ordinal);
        Assert.Contains("Maintained by People Ops. Applies to all employees", whole, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_InRanges_JoinsToTheWholeDocument()
    {
        using var aditi = fixture.ClientFor("aditi");
        var file = GoogleDriveFixture.File("Fleet Console architecture notes");

        var whole = await aditi.WholeAsync(GoogleDriveFixture.IdOf(file), maxChars: 7_000);

        Assert.True(whole.Length > 20_000, $"the notes are long: {whole.Length} chars");
        Assert.Equal(file.Markdown(), whole);
    }

    [Fact]
    public async Task Fetch_OffsetPastTheEnd_IsRefused()
    {
        using var aditi = fixture.ClientFor("aditi");
        var file = GoogleDriveFixture.File("Northwind pilot demo script");

        using var response = await aditi.FetchAsync(GoogleDriveFixture.IdOf(file), offset: 10_000_000);

        Assert.Contains("past the end", await response.ProblemAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("priya", "Compensation bands 2026", "aditi")]
    [InlineData("renata", "Northwind Logistics proposal.docx", "aditi")]
    [InlineData("aditi", "Fleet Console release process", "priya")]
    public async Task Fetch_FileTheUserMayNotSee_IsNotFound(string owner, string name, string other)
    {
        using var ownerClient = fixture.ClientFor(owner);
        using var otherClient = fixture.ClientFor(other);
        var id = GoogleDriveFixture.IdOf(GoogleDriveFixture.File(name));

        await ownerClient.RangeAsync(id);
        using var response = await otherClient.FetchAsync(id);

        Assert.Contains("no file with this id that you may see", await response.ProblemAsync(HttpStatusCode.NotFound), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("..%2F..%2Fetc")]
    [InlineData("1abc' or name contains '")]
    [InlineData("1abc/export?mimeType=text/plain")]
    [InlineData("1abc?alt=media")]
    [InlineData("1abc def")]
    [InlineData("")]
    public async Task Fetch_HostileId_IsRefusedBeforeAnyProviderCall(string native)
    {
        using var aditi = fixture.ClientFor("aditi");
        fixture.Emulators.Faults.Add(GoogleEmulator.Provider, new Fault(FaultKind.ServerError, Count: 1, User: "aditi"));

        using var response = await aditi.FetchAsync($"{GoogleDriveFixture.Source}:{native}");

        await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(fixture.Emulators.Faults.Has(GoogleEmulator.Provider, FaultKind.ServerError, "aditi"), "Drive was called");
    }

    [Theory]
    [InlineData(129)]
    [InlineData(5 * 1024)]
    public async Task Fetch_OverlongId_IsRefusedBeforeAnyProviderCall(int length)
    {
        using var aditi = fixture.ClientFor("aditi");
        fixture.Emulators.Faults.Add(GoogleEmulator.Provider, new Fault(FaultKind.ServerError, Count: 1, User: "aditi"));

        using var response = await aditi.FetchAsync($"{GoogleDriveFixture.Source}:{new string('a', length)}");

        await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(fixture.Emulators.Faults.Has(GoogleEmulator.Provider, FaultKind.ServerError, "aditi"), "Drive was called");
    }

    [Fact]
    public async Task Fetch_DocumentOverDrivesExportLimit_IsAClearPerSourceError()
    {
        using var aditi = fixture.ClientFor("aditi");

        using var response = await aditi.FetchAsync(GoogleDriveFixture.IdOf(GoogleDriveFixture.File("Fleet telemetry export February 2026")));

        Assert.Contains("exports at most 10 MB", await response.ProblemAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_MalformedJsonFromDrive_IsAClearProviderFailure()
    {
        using var aditi = fixture.ClientFor("aditi");
        fixture.Emulators.Faults.Add(GoogleEmulator.Provider, new Fault(FaultKind.MalformedJson, User: "aditi"));

        using var response = await aditi.SearchAsync("Northwind");

        Assert.Contains("not the JSON its API documents", await response.ProblemAsync(HttpStatusCode.BadGateway), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_MalformedJsonFromDrive_IsAClearProviderFailure()
    {
        using var aditi = fixture.ClientFor("aditi");
        fixture.Emulators.Faults.Add(GoogleEmulator.Provider, new Fault(FaultKind.MalformedJson, User: "aditi"));

        using var response = await aditi.FetchAsync(GoogleDriveFixture.IdOf(GoogleDriveFixture.File("Northwind pilot demo script")));

        Assert.Contains("not the JSON its API documents", await response.ProblemAsync(HttpStatusCode.BadGateway), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_TooManyRequests_IsRateLimited_WithDrivesRetryAfter()
    {
        using var aditi = fixture.ClientFor("aditi");
        // Longer than the resilience handler waits out (HttpRetryRules.MaxRetryAfter), so it comes back to the caller.
        fixture.Emulators.Faults.Add(GoogleEmulator.Provider, new Fault(FaultKind.RateLimited, RetryAfterSeconds: 120, User: "aditi"));

        using var response = await aditi.SearchAsync("Northwind");

        Assert.Contains("asks this service to slow down", await response.ProblemAsync(HttpStatusCode.TooManyRequests), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(120), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Search_GooglesRateLimit403_IsRateLimited()
    {
        using var aditi = fixture.ClientFor("aditi");
        fixture.Emulators.Faults.Add(GoogleEmulator.Provider, new Fault(FaultKind.ProviderThrottled, User: "aditi"));

        using var response = await aditi.SearchAsync("Northwind");

        Assert.Contains("asks this service to slow down", await response.ProblemAsync(HttpStatusCode.TooManyRequests), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_ServerErrors_AreAProviderFailure()
    {
        using var aditi = fixture.ClientFor("aditi");
        fixture.Emulators.Faults.Add(GoogleEmulator.Provider, new Fault(FaultKind.ServerError, Status: 500, User: "aditi"));

        using var response = await aditi.SearchAsync("Northwind");

        Assert.Contains("HTTP 500, backendError", await response.ProblemAsync(HttpStatusCode.BadGateway), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_TokenRefusedAndNotRefreshable_IsNotConnected()
    {
        using var aditi = fixture.ClientFor("aditi");
        fixture.Emulators.Faults.Add(GoogleEmulator.Provider, new Fault(FaultKind.RevokedGrant, User: "aditi"));
        try
        {
            using var response = await aditi.SearchAsync("Northwind");

            Assert.Contains("connect again", await response.ProblemAsync(HttpStatusCode.Conflict), StringComparison.Ordinal);
            // The refresh Google refused dropped the grant.
            Assert.Null(await fixture.Connectors.Services.GetRequiredService<GrantVault>().GetAsync("aditi", GoogleDriveFixture.Source, CancellationToken.None));
        }
        finally
        {
            fixture.Emulators.Faults.Clear(GoogleEmulator.Provider);
            await GoogleDriveFixture.ConnectAsync(fixture.Emulators, fixture.Connectors, "aditi");
        }
    }

    [Fact]
    public async Task Search_UserWhoNeverConnected_IsNotConnected()
    {
        using var stranger = fixture.ClientFor("someone-else");

        using var response = await stranger.SearchAsync("Northwind");

        Assert.Contains("not connected", await response.ProblemAsync(HttpStatusCode.Conflict), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_FileOverTheConfiguredCap_IsAClearPerSourceError()
    {
        var root = Directory.CreateTempSubdirectory("drive-cap-root-").FullName;
        try
        {
            await using var capped = GoogleDriveFixture.Start(fixture.Emulators, root, fixture.Key, ("Sources:GoogleDrive:MaxDownloadBytes", "1024"));
            await GoogleDriveFixture.ConnectAsync(fixture.Emulators, capped, "renata");
            using var renata = GoogleDriveFixture.ClientFor(capped, fixture.Key, "renata");
            var docx = GoogleDriveFixture.File("Northwind Logistics proposal.docx");
            var longDoc = GoogleDriveFixture.File("Renata's Q1 2026 pipeline review");
            Assert.True(docx.Bytes.Length > 1024, $"the proposal is {docx.Bytes.Length} bytes");
            Assert.True(System.Text.Encoding.UTF8.GetByteCount(longDoc.Markdown()) > 1024, "the review exports to more than 1 KB");

            using var download = await renata.FetchAsync(GoogleDriveFixture.IdOf(docx));
            using var export = await renata.FetchAsync(GoogleDriveFixture.IdOf(longDoc));
            var results = await renata.ResultsAsync("Northwind", includeContent: true);

            // The download is refused from its size before a byte is read; the export, which has no size, as it streams.
            Assert.Contains("larger than 1 KB", await download.ProblemAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
            Assert.Contains("the most this server reads as text", await export.ProblemAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
            // In a search the too-large file keeps its place, without content.
            var hit = Assert.Single(results, r => r.GetProperty("id").GetString() == GoogleDriveFixture.IdOf(docx));
            Assert.Equal(JsonValueKind.Null, hit.GetProperty("content").ValueKind);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Fetch_CallerGivesUp_CancellationReachesTheSource()
    {
        var drive = fixture.Connectors.Services.GetServices<IDocumentSource>().Single(s => s.Id == GoogleDriveFixture.Source);
        fixture.Emulators.Faults.Add(GoogleEmulator.Provider, new Fault(FaultKind.Hang, User: "aditi"));
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var call = drive.FetchAsync(new InternalPrincipal("aditi", new HashSet<string> { GoogleDriveFixture.Source }), GoogleDriveFixture.File("Northwind pilot demo script").Id, 0, 1000, deadline.Token);

        // A deadline is the caller's to report (timeout status), so it surfaces as cancellation, never as a source failure.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    public void Dispose() => fixture.Emulators.Faults.Clear(GoogleEmulator.Provider);
}
