using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;

namespace Workplace.Tests.Emulators.Google;

/// <summary>files.list, files.get and files.export over the sample Drive, as three people with different reach.</summary>
[Collection(GoogleEmulatorCollection.Name)]
public sealed class DriveFilesTests(EmulatorsHost emulators)
{
    private const string AllDrives = "corpora=allDrives&includeItemsFromAllDrives=true&supportsAllDrives=true";

    [Fact]
    public async Task TheSameQuery_ByThreePeople_GivesEachOnlyWhatTheyMaySee()
    {
        using var aditi = await GoogleSession.SignInAsync(emulators, "aditi");
        using var renata = await GoogleSession.SignInAsync(emulators, "renata");
        using var priya = await GoogleSession.SignInAsync(emulators, "priya");
        var q = "q=" + Uri.EscapeDataString("fullText contains 'Northwind' and trashed = false");

        var byAditi = Names(await aditi.ListAllAsync(q));
        var byRenata = Names(await renata.ListAllAsync(q));
        var byPriya = Names(await priya.ListAllAsync(q));

        Assert.Equal(["1-1 notes Ines Zamora.txt", "Fleet Console architecture notes", "Northwind pilot demo script"], byAditi);
        Assert.Equal(["Northwind Logistics proposal.docx", "Northwind pilot demo script", "Renata's Q1 2026 pipeline review"], byRenata);
        Assert.Empty(byPriya);
    }

    [Fact]
    public async Task AFileOneMayNotSee_Is404ById_InGooglesShape()
    {
        using var aditi = await GoogleSession.SignInAsync(emulators, "aditi");
        using var priya = await GoogleSession.SignInAsync(emulators, "priya");
        var privateToAditi = await aditi.IdOfAsync("Fleet Console architecture notes");
        var inTheSharedDrive = await aditi.IdOfAsync("Fleet Console release process");

        using var notHers = await priya.Http.GetAsync($"files/{privateToAditi}");
        using var notAMember = await priya.Http.GetAsync($"files/{inTheSharedDrive}?supportsAllDrives=true");
        using var notExported = await priya.Http.GetAsync($"files/{privateToAditi}/export?mimeType=text/markdown");

        foreach (var (response, id) in new[] { (notHers, privateToAditi), (notAMember, inTheSharedDrive), (notExported, privateToAditi) })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var error = await GoogleSession.ErrorOf(response);
            Assert.Equal(404, error.GetProperty("code").GetInt32());
            Assert.Equal($"File not found: {id}.", error.GetProperty("message").GetString());
            var item = Assert.Single(error.GetProperty("errors").EnumerateArray());
            Assert.Equal("notFound", item.GetProperty("reason").GetString());
            Assert.Equal("fileId", item.GetProperty("location").GetString());
        }
    }

    [Fact]
    public async Task FilesSharedWithSomeone_AreTheirsToSee_AndSayWhoShared()
    {
        using var aditi = await GoogleSession.SignInAsync(emulators, "aditi");
        var id = await aditi.IdOfAsync("Sales kickoff 2026 agenda");

        var file = await aditi.GetJsonAsync($"files/{id}?fields=id,ownedByMe,owners(emailAddress),sharingUser(displayName),permissions(role,emailAddress)");

        Assert.False(file.GetProperty("ownedByMe").GetBoolean());
        Assert.Equal("renata.vashti@halcyon-robotics.example", Assert.Single(file.GetProperty("owners").EnumerateArray()).GetProperty("emailAddress").GetString());
        Assert.Equal("Renata Vashti", file.GetProperty("sharingUser").GetProperty("displayName").GetString());
        Assert.Equal(3, file.GetProperty("permissions").GetArrayLength());
        var sharedWithMe = Names(await aditi.ListAllAsync("q=" + Uri.EscapeDataString("sharedWithMe = true")));
        Assert.Equal(["Engineering onboarding checklist", "Sales kickoff 2026 agenda"], sharedWithMe);
    }

    [Fact]
    public async Task TheSharedDrive_IsListedAndSearchable_ForItsMembersOnly()
    {
        using var aditi = await GoogleSession.SignInAsync(emulators, "aditi");
        using var priya = await GoogleSession.SignInAsync(emulators, "priya");

        var drives = await aditi.GetJsonAsync("drives");
        var drive = Assert.Single(drives.GetProperty("drives").EnumerateArray());
        var driveId = drive.GetProperty("id").GetString()!;
        Assert.Equal("Halcyon Engineering", drive.GetProperty("name").GetString());
        Assert.Equal("drive#drive", drive.GetProperty("kind").GetString());
        Assert.Empty((await priya.GetJsonAsync("drives")).GetProperty("drives").EnumerateArray());

        var inDrive = Names(await aditi.ListAllAsync($"corpora=drive&driveId={driveId}&includeItemsFromAllDrives=true&supportsAllDrives=true"));
        var myDrive = Names(await aditi.ListAllAsync("corpora=user"));
        var everything = Names(await aditi.ListAllAsync(AllDrives));

        Assert.Equal(["Field service runbook.html", "Fleet Console release process", "Fleet telemetry export February 2026", "Kestrel safety certification plan.pdf", "Runbooks"], inDrive);
        Assert.DoesNotContain("Fleet Console release process", myDrive);
        Assert.Equal(myDrive.Concat(inDrive).Order(StringComparer.Ordinal), everything);

        using var refused = await priya.Http.GetAsync($"files?corpora=drive&driveId={driveId}&includeItemsFromAllDrives=true&supportsAllDrives=true");
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal($"Shared drive not found: {driveId}", (await GoogleSession.ErrorOf(refused)).GetProperty("message").GetString());
    }

    [Fact]
    public async Task AFolder_ListsItsChildren_ThroughInParents()
    {
        using var renata = await GoogleSession.SignInAsync(emulators, "renata");
        var folder = await renata.IdOfAsync("Runbooks");

        var children = Names(await renata.ListAllAsync($"{AllDrives}&q={Uri.EscapeDataString($"'{folder}' in parents")}"));
        var metadata = await renata.GetJsonAsync($"files/{folder}?supportsAllDrives=true&fields=mimeType,capabilities(canListChildren)");

        Assert.Equal(["Field service runbook.html", "Fleet Console release process"], children);
        Assert.Equal("application/vnd.google-apps.folder", metadata.GetProperty("mimeType").GetString());
        Assert.True(metadata.GetProperty("capabilities").GetProperty("canListChildren").GetBoolean());
    }

    [Fact]
    public async Task ASharedDriveFile_NeedsSupportsAllDrives_AndHasADriveButNoOwners()
    {
        using var renata = await GoogleSession.SignInAsync(emulators, "renata");
        var id = await renata.IdOfAsync("Kestrel safety certification plan.pdf");

        using var withoutSupport = await renata.Http.GetAsync($"files/{id}");
        var file = await renata.GetJsonAsync($"files/{id}?supportsAllDrives=true&fields=*");

        Assert.Equal(HttpStatusCode.NotFound, withoutSupport.StatusCode);
        Assert.True(file.TryGetProperty("driveId", out _));
        Assert.False(file.TryGetProperty("owners", out _));
    }

    [Fact]
    public async Task Paging_FollowedToTheEnd_GivesEveryFileOnce_InTheOrderOfOnePage()
    {
        using var aditi = await GoogleSession.SignInAsync(emulators, "aditi");

        var paged = await aditi.ListAllAsync($"{AllDrives}&pageSize=2");
        var whole = await aditi.ListAllAsync($"{AllDrives}&pageSize=1000");
        var first = await aditi.GetJsonAsync($"files?{AllDrives}&pageSize=2");

        Assert.Equal(whole, paged);
        Assert.Equal(paged.Count, paged.Select(f => f.Id).Distinct().Count());
        Assert.True(paged.Count >= 10, $"Aditi sees {paged.Count} files.");
        Assert.Equal(2, first.GetProperty("files").GetArrayLength());
        Assert.Equal("drive#fileList", first.GetProperty("kind").GetString());
        Assert.False(first.GetProperty("incompleteSearch").GetBoolean());

        var token = first.GetProperty("nextPageToken").GetString()!;
        using var otherQuery = await aditi.Http.GetAsync($"files?corpora=user&pageToken={Uri.EscapeDataString(token)}");
        using var forged = await aditi.Http.GetAsync("files?pageToken=not-a-token");
        foreach (var response in new[] { otherQuery, forged })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("pageToken", Assert.Single((await GoogleSession.ErrorOf(response)).GetProperty("errors").EnumerateArray()).GetProperty("location").GetString());
        }
    }

    [Theory]
    [InlineData("trashed = false and name contains 'console'", new[] { "Fleet Console architecture notes", "Fleet Console release process" })]
    [InlineData("name contains 'console'", new[] { "Console roadmap draft (old)", "Fleet Console architecture notes", "Fleet Console release process" })]
    [InlineData("name contains 'onsole'", new string[0])]
    [InlineData("name contains 'Renata\\'s'", new[] { "Renata's Q1 2026 pipeline review" })]
    [InlineData("fullText contains '\"safety induction\"'", new[] { "Engineering onboarding checklist" })]
    [InlineData("fullText contains 'induction safety'", new[] { "Engineering onboarding checklist" })]
    [InlineData("mimeType = 'application/vnd.google-apps.document' and modifiedTime > '2026-02-26T00:00:00Z' and not trashed = true",
        new[] { "Fleet Console architecture notes", "Fleet telemetry export February 2026", "Northwind pilot demo script" })]
    [InlineData("(mimeType = 'application/pdf' or mimeType = 'text/html') and mimeType != 'application/vnd.google-apps.folder'",
        new[] { "Field service runbook.html", "Kestrel safety certification plan.pdf" })]
    [InlineData("'renata.vashti@halcyon-robotics.example' in owners", new[] { "Northwind Logistics proposal.docx", "Renata's Q1 2026 pipeline review", "Sales kickoff 2026 agenda" })]
    [InlineData("'root' in parents and trashed = false", new[] { "1-1 notes Ines Zamora.txt", "Fleet Console architecture notes", "Northwind pilot demo script" })]
    [InlineData("createdTime <= '2025-10-01T00:00:00Z'", new[] { "Fleet Console release process", "Runbooks" })]
    public async Task TheQueryLanguage_SelectsWhatDriveWould(string q, string[] expected)
    {
        using var renataOrAditi = await GoogleSession.SignInAsync(emulators, q.Contains("Renata", StringComparison.Ordinal) || q.Contains("renata", StringComparison.Ordinal) ? "renata" : "aditi");

        var names = Names(await renataOrAditi.ListAllAsync($"{AllDrives}&q={Uri.EscapeDataString(q)}"));

        Assert.Equal(expected.Order(StringComparer.Ordinal), names);
    }

    [Theory]
    [InlineData("name contains")]
    [InlineData("name contains 'unterminated")]
    [InlineData("(trashed = false")]
    [InlineData("title contains 'x'")]
    [InlineData("modifiedTime > 'yesterday'")]
    [InlineData("trashed = maybe")]
    public async Task AMalformedQuery_Is400InvalidValue_OnQ(string q)
    {
        using var aditi = await GoogleSession.SignInAsync(emulators, "aditi");

        using var response = await aditi.Http.GetAsync($"files?q={Uri.EscapeDataString(q)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await GoogleSession.ErrorOf(response);
        Assert.Equal("Invalid Value", error.GetProperty("message").GetString());
        var item = Assert.Single(error.GetProperty("errors").EnumerateArray());
        Assert.Equal(("invalid", "q", "parameter"), (item.GetProperty("reason").GetString(), item.GetProperty("location").GetString(), item.GetProperty("locationType").GetString()));
    }

    [Fact]
    public async Task OrderBy_Sorts_ButIsRefusedWithFullText()
    {
        using var aditi = await GoogleSession.SignInAsync(emulators, "aditi");

        var byName = Names(await aditi.ListAllAsync("orderBy=name"), sort: false);
        var byNewest = await aditi.GetJsonAsync("files?orderBy=modifiedTime desc&fields=files(modifiedTime)");
        using var refused = await aditi.Http.GetAsync($"files?orderBy=name&q={Uri.EscapeDataString("fullText contains 'kestrel'")}");
        using var unknownKey = await aditi.Http.GetAsync("files?orderBy=size");

        Assert.Equal(byName.Order(StringComparer.Ordinal), byName);
        var times = byNewest.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("modifiedTime").GetString()!).ToList();
        Assert.Equal(times.OrderDescending(StringComparer.Ordinal), times);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var error = await GoogleSession.ErrorOf(refused);
        Assert.Equal("Sorting is not supported for queries with fullText terms. Results are always in descending relevance order.", error.GetProperty("message").GetString());
        Assert.Equal("orderBy", Assert.Single(error.GetProperty("errors").EnumerateArray()).GetProperty("location").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, unknownKey.StatusCode);
    }

    [Fact]
    public async Task Fields_ArePartialResponses_AndAnUnknownFieldIsRefused()
    {
        using var aditi = await GoogleSession.SignInAsync(emulators, "aditi");

        var defaults = await aditi.GetJsonAsync("files?pageSize=1");
        var chosen = await aditi.GetJsonAsync("files?pageSize=1&fields=nextPageToken,files(id,name,owners(emailAddress),modifiedTime)");
        var path = await aditi.GetJsonAsync("files?pageSize=1&fields=files/id");
        using var unknown = await aditi.Http.GetAsync("files?fields=files(id,colour)");
        using var malformed = await aditi.Http.GetAsync("files?fields=files(id");

        Assert.Equal(["files", "incompleteSearch", "kind", "nextPageToken"], Keys(defaults));
        Assert.Equal(["id", "kind", "mimeType", "name"], Keys(defaults.GetProperty("files")[0]));
        Assert.Equal(["files", "nextPageToken"], Keys(chosen));
        var file = chosen.GetProperty("files")[0];
        Assert.Equal(["id", "modifiedTime", "name", "owners"], Keys(file));
        Assert.Equal(["emailAddress"], Keys(file.GetProperty("owners")[0]));
        Assert.Equal(["id"], Keys(path.GetProperty("files")[0]));
        foreach (var response in new[] { unknown, malformed })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var item = Assert.Single((await GoogleSession.ErrorOf(response)).GetProperty("errors").EnumerateArray());
            Assert.Equal(("invalidParameter", "fields"), (item.GetProperty("reason").GetString(), item.GetProperty("location").GetString()));
        }
    }

    [Fact]
    public async Task Uploads_DownloadWithAltMedia_InTheirOwnFormats()
    {
        using var renata = await GoogleSession.SignInAsync(emulators, "renata");
        using var aditi = await GoogleSession.SignInAsync(emulators, "aditi");
        using var priya = await GoogleSession.SignInAsync(emulators, "priya");
        var docx = await renata.IdOfAsync("Northwind Logistics proposal.docx");
        var pdf = await priya.IdOfAsync("Employee handbook 2026.pdf");
        var html = await aditi.IdOfAsync("Field service runbook.html");
        var txt = await aditi.IdOfAsync("1-1 notes Ines Zamora.txt");

        var docxBytes = await renata.Http.GetByteArrayAsync($"files/{docx}?alt=media");
        var docxMeta = await renata.GetJsonAsync($"files/{docx}?fields=size,md5Checksum,mimeType,fileExtension");
        var pdfBytes = await priya.Http.GetByteArrayAsync($"files/{pdf}?alt=media");
        var htmlText = await aditi.Http.GetStringAsync($"files/{html}?alt=media&supportsAllDrives=true");
        using var txtResponse = await aditi.Http.GetAsync($"files/{txt}?alt=media");

        using (var word = WordprocessingDocument.Open(new MemoryStream(docxBytes), isEditable: false))
        {
            var body = word.MainDocumentPart!.Document.Body!;
            Assert.Contains("Success criteria", body.InnerText, StringComparison.Ordinal);
            Assert.Single(body.Elements<DocumentFormat.OpenXml.Wordprocessing.Table>());
        }
        Assert.Equal(docxBytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), docxMeta.GetProperty("size").GetString());
#pragma warning disable CA5351 // Drive's checksum is MD5.
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(docxBytes)), docxMeta.GetProperty("md5Checksum").GetString());
#pragma warning restore CA5351
        Assert.Equal("docx", docxMeta.GetProperty("fileExtension").GetString());

        var pdfText = Encoding.Latin1.GetString(pdfBytes);
        Assert.StartsWith("%PDF-1.4", pdfText, StringComparison.Ordinal);
        Assert.EndsWith("%%EOF\n", pdfText, StringComparison.Ordinal);
        Assert.Contains("(Halcyon Robotics Employee Handbook 2026) Tj", pdfText, StringComparison.Ordinal);
        var pages = System.Text.RegularExpressions.Regex.Count(pdfText, "/Type /Page ");
        Assert.True(pages >= 5, $"The handbook has {pages} pages.");
        var xref = int.Parse(pdfText[(pdfText.LastIndexOf("startxref\n", StringComparison.Ordinal) + 10)..].Split('\n')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.StartsWith("xref", pdfText[xref..], StringComparison.Ordinal);

        Assert.Contains("<table>", htmlText, StringComparison.Ordinal);
        Assert.Contains("<h1", htmlText, StringComparison.Ordinal);
        Assert.Equal("text/plain", txtResponse.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("1-1 notes: Aditi Raman and Ines Zamora", await txtResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GoogleDocs_Export_AsMarkdownAndPlainText_AndRefuseDownload()
    {
        using var aditi = await GoogleSession.SignInAsync(emulators, "aditi");
        var id = await aditi.IdOfAsync("Fleet Console architecture notes");

        var markdown = await aditi.Http.GetStringAsync($"files/{id}/export?mimeType=text/markdown");
        var plain = await aditi.Http.GetStringAsync($"files/{id}/export?mimeType=text/plain");
        var links = await aditi.GetJsonAsync($"files/{id}?fields=exportLinks,webViewLink");
        using var download = await aditi.Http.GetAsync($"files/{id}?alt=media");

        Assert.StartsWith("# Fleet Console architecture notes", markdown, StringComparison.Ordinal);
        Assert.Contains("| Component | Owner | Status |", markdown, StringComparison.Ordinal);
        Assert.Contains("[fleet console outage runbook](https://", markdown, StringComparison.Ordinal);
        var words = plain.Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).Length;
        Assert.True(words > 4000, $"{words} words");
        Assert.DoesNotContain("## ", plain, StringComparison.Ordinal);
        Assert.Contains("Component\tOwner\tStatus\nFleet map\tInes Zamora\tIn production\n", plain, StringComparison.Ordinal);
        Assert.Contains("\n* Dashboards: latency", plain, StringComparison.Ordinal);
        Assert.Contains("follows the fleet console outage runbook.", plain, StringComparison.Ordinal);
        Assert.True(links.GetProperty("exportLinks").TryGetProperty("text/markdown", out _));
        Assert.Equal($"https://docs.google.com/document/d/{id}/edit?usp=drivesdk", links.GetProperty("webViewLink").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, download.StatusCode);
        Assert.Equal("fileNotDownloadable", Assert.Single((await GoogleSession.ErrorOf(download)).GetProperty("errors").EnumerateArray()).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Export_RefusesWhatDriveRefuses()
    {
        using var aditi = await GoogleSession.SignInAsync(emulators, "aditi");
        var doc = await aditi.IdOfAsync("Northwind pilot demo script");
        var upload = await aditi.IdOfAsync("1-1 notes Ines Zamora.txt");
        var huge = await aditi.IdOfAsync("Fleet telemetry export February 2026");

        using var noMimeType = await aditi.Http.GetAsync($"files/{doc}/export");
        using var unsupported = await aditi.Http.GetAsync($"files/{doc}/export?mimeType=application/zip");
        using var notADoc = await aditi.Http.GetAsync($"files/{upload}/export?mimeType=text/plain");
        using var tooLarge = await aditi.Http.GetAsync($"files/{huge}/export?mimeType=text/markdown&supportsAllDrives=true");

        await AssertError(noMimeType, HttpStatusCode.BadRequest, "required", "Required parameter: mimeType");
        await AssertError(unsupported, HttpStatusCode.BadRequest, "badRequest", "The requested conversion is not supported.");
        await AssertError(notADoc, HttpStatusCode.Forbidden, "fileNotExportable", "Export only supports Docs Editors files.");
        await AssertError(tooLarge, HttpStatusCode.Forbidden, "exportSizeLimitExceeded", "This file is too large to be exported.");
    }

    [Fact]
    public async Task ListParameters_AreChecked()
    {
        using var aditi = await GoogleSession.SignInAsync(emulators, "aditi");

        using var zero = await aditi.Http.GetAsync("files?pageSize=0");
        using var tooMany = await aditi.Http.GetAsync("files?pageSize=1001");
        using var driveWithoutId = await aditi.Http.GetAsync("files?corpora=drive&includeItemsFromAllDrives=true&supportsAllDrives=true");
        using var allWithoutInclude = await aditi.Http.GetAsync("files?corpora=allDrives");
        using var badCorpora = await aditi.Http.GetAsync("files?corpora=everything");

        await AssertError(zero, HttpStatusCode.BadRequest, "invalid", "Invalid value '0'. Values must be within the range: [1, 1000]");
        await AssertError(tooMany, HttpStatusCode.BadRequest, "invalid", "Invalid value '1001'. Values must be within the range: [1, 1000]");
        await AssertError(driveWithoutId, HttpStatusCode.BadRequest, "invalid", "The driveId parameter must be specified if and only if corpora is set to drive.");
        await AssertError(allWithoutInclude, HttpStatusCode.BadRequest, "invalid", "The includeItemsFromAllDrives parameter must be set to true when corpora is set to allDrives.");
        await AssertError(badCorpora, HttpStatusCode.BadRequest, "invalid", "Invalid Value");
    }

    internal static async Task AssertError(HttpResponseMessage response, HttpStatusCode status, string reason, string message)
    {
        Assert.Equal(status, response.StatusCode);
        var error = await GoogleSession.ErrorOf(response);
        Assert.Equal((int)status, error.GetProperty("code").GetInt32());
        Assert.Equal(message, error.GetProperty("message").GetString());
        Assert.Equal(reason, Assert.Single(error.GetProperty("errors").EnumerateArray()).GetProperty("reason").GetString());
    }

    private static List<string> Names(IEnumerable<(string Id, string Name)> files, bool sort = true) =>
        sort ? [.. files.Select(f => f.Name).Order(StringComparer.Ordinal)] : [.. files.Select(f => f.Name)];

    private static List<string> Keys(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
}
