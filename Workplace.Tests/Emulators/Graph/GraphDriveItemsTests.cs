using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Workplace.Tests.Emulators.Graph;

public sealed class GraphDriveItemsTests(EmulatorsHost emulators) : IClassFixture<EmulatorsHost>
{
    [Fact]
    public async Task AnItem_ReadsThroughItsDrive_ItsSite_AndMyDrive()
    {
        using var aditi = await emulators.ClientForAsync("aditi");
        var own = await FindAsync(aditi, "Zürich retro", "Retro 2026-03 Zürich.md");
        var onSite = await FindAsync(aditi, "Kestrel rollback", "Kestrel firmware rollback.md");

        var byDrive = await aditi.GetFromJsonAsync<JsonElement>($"drives/{Uri.EscapeDataString(own.DriveId)}/items/{own.Id}");
        var byMe = await aditi.GetFromJsonAsync<JsonElement>($"me/drive/items/{own.Id}");
        var bySite = await aditi.GetFromJsonAsync<JsonElement>($"sites/{onSite.SiteId}/drive/items/{onSite.Id}");
        var byPersonalSite = await aditi.GetFromJsonAsync<JsonElement>($"sites/{own.SiteId}/drive/items/{own.Id}");

        Assert.Equal("Retro 2026-03 Zürich.md", byDrive.GetProperty("name").GetString());
        Assert.Equal("text/markdown", byDrive.GetProperty("file").GetProperty("mimeType").GetString());
        Assert.Equal(byDrive.GetProperty("eTag").GetString(), byMe.GetProperty("eTag").GetString());
        Assert.Equal(byDrive.GetProperty("eTag").GetString(), byPersonalSite.GetProperty("eTag").GetString());
        Assert.Equal("2026-03-13T11:05:00Z", byDrive.GetProperty("lastModifiedDateTime").GetString());
        Assert.Equal("business", byDrive.GetProperty("parentReference").GetProperty("driveType").GetString());
        Assert.Equal("Kestrel firmware rollback.md", bySite.GetProperty("name").GetString());
        Assert.StartsWith("http", bySite.GetProperty("@microsoft.graph.downloadUrl").GetString());
        Assert.True(bySite.GetProperty("size").GetInt64() > 1000);
    }

    [Fact]
    public async Task AnItemTheCallerMayNotSee_IsNotFound_ByEveryPath()
    {
        using var renata = await emulators.ClientForAsync("renata");
        using var aditi = await emulators.ClientForAsync("aditi");
        var callLog = await FindAsync(renata, "Calloway", "Calloway Grocers call log.txt");
        var pricing = await FindAsync(renata, "discount", "Pricing and discount guidelines.html");

        using var privateFile = await aditi.GetAsync($"drives/{callLog.DriveId}/items/{callLog.Id}");
        using var privateContent = await aditi.GetAsync($"drives/{callLog.DriveId}/items/{callLog.Id}/content");
        using var otherSite = await aditi.GetAsync($"sites/{pricing.SiteId}/drive/items/{pricing.Id}");
        using var notInMyDrive = await renata.GetAsync($"me/drive/items/{pricing.Id}");

        foreach (var response in new[] { privateFile, privateContent, otherSite, notInMyDrive })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("itemNotFound", await response.ErrorCodeAsync());
        }
    }

    [Fact]
    public async Task Content_RedirectsToADownloadUrl_ThatNeedsNoBearer()
    {
        using var aditi = await emulators.ClientForAsync("aditi");
        var checklist = await FindAsync(aditi, "handoff", "On-call handoff checklist.txt");

        using var redirect = await aditi.GetAsync($"drives/{checklist.DriveId}/items/{checklist.Id}/content");
        using var anonymous = new HttpClient();
        using var download = await anonymous.GetAsync(redirect.Headers.Location);
        using var forged = await anonymous.GetAsync(new Uri(redirect.Headers.Location!.GetLeftPart(UriPartial.Path) + "?UniqueId=x&tempauth=forged"));

        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("text/plain", download.Content.Headers.ContentType?.MediaType);
        var expected = await File.ReadAllTextAsync(Path.Combine(Infrastructure.RepositoryRoot.Path, "samples/workspace/engineering/runbooks/on-call-handoff-checklist.txt"));
        Assert.Equal(expected, await download.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }

    [Theory]
    [InlineData("Wren AMR docking spec.pdf", "docking", "%PDF-1.4")]
    [InlineData("Incident postmortem 2025-11.docx", "postmortem", "PK")]
    [InlineData("Platform SLA.html", "SLA", "<")]
    public async Task EveryFormat_DownloadsAsItsOwnBytes(string name, string query, string magic)
    {
        using var aditi = await emulators.ClientForAsync("aditi");
        var item = await FindAsync(aditi, query, name);
        var metadata = await aditi.GetFromJsonAsync<JsonElement>($"drives/{item.DriveId}/items/{item.Id}");

        using var anonymous = new HttpClient();
        var bytes = await anonymous.GetByteArrayAsync(metadata.GetProperty("@microsoft.graph.downloadUrl").GetString());

        Assert.StartsWith(magic, Encoding.Latin1.GetString(bytes), StringComparison.Ordinal);
        Assert.Equal(metadata.GetProperty("size").GetInt64(), bytes.LongLength);
    }

    [Fact]
    public async Task ThePdf_IsOneAReaderCanParse()
    {
        using var aditi = await emulators.ClientForAsync("aditi");
        var item = await FindAsync(aditi, "docking", "Wren AMR docking spec.pdf");
        using var redirect = await aditi.GetAsync($"drives/{item.DriveId}/items/{item.Id}/content");
        using var anonymous = new HttpClient();
        var pdf = Encoding.Latin1.GetString(await anonymous.GetByteArrayAsync(redirect.Headers.Location));

        // Every xref offset points at its object, and startxref at the xref table.
        var startXref = int.Parse(pdf[(pdf.LastIndexOf("startxref\n", StringComparison.Ordinal) + 10)..].Split('\n')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.StartsWith("xref\n", pdf[startXref..], StringComparison.Ordinal);
        var entries = pdf[startXref..].Split('\n').Skip(3).TakeWhile(l => l.EndsWith(" n ", StringComparison.Ordinal)).ToList();
        Assert.True(entries.Count >= 5);
        foreach (var (entry, index) in entries.Select((e, i) => (e, i)))
        {
            var offset = int.Parse(entry[..10], System.Globalization.CultureInfo.InvariantCulture);
            Assert.StartsWith($"{index + 1} 0 obj", pdf[offset..], StringComparison.Ordinal);
        }
        Assert.Contains("(# Product Spec: Wren Autonomous Docking v2) '", pdf, StringComparison.Ordinal);
    }

    private static async Task<(string Id, string DriveId, string SiteId)> FindAsync(HttpClient http, string query, string name)
    {
        var container = await (await http.SearchAsync(query)).HitsContainerAsync();
        var resource = container.Hits().Select(h => h.GetProperty("resource")).Single(r => r.GetProperty("name").GetString() == name);
        var parent = resource.GetProperty("parentReference");
        return (resource.GetProperty("id").GetString()!, parent.GetProperty("driveId").GetString()!,
            parent.GetProperty("siteId").GetString()!);
    }
}
