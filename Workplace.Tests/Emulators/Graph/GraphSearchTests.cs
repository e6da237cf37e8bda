using System.Net;
using System.Net.Http.Json;

namespace Workplace.Tests.Emulators.Graph;

public sealed class GraphSearchTests(EmulatorsHost emulators) : IClassFixture<EmulatorsHost>
{
    [Fact]
    public async Task TheSameQuery_ByTwoUsers_FindsEachOnesOwnDocuments()
    {
        using var aditi = await emulators.ClientForAsync("aditi");
        using var renata = await emulators.ClientForAsync("renata");

        var byAditi = await (await aditi.SearchAsync("Calloway")).HitsContainerAsync();
        var byRenata = await (await renata.SearchAsync("Calloway")).HitsContainerAsync();

        // Renata's private call log and the Sales site are hers; Aditi sees the QBR Renata shared with her and the
        // Engineering site's docking spec, which Renata (not a member) does not.
        Assert.Equal(["QBR 2025-Q4.html", "Wren AMR docking spec.pdf"], byAditi.Names().Order());
        Assert.Contains("Calloway Grocers call log.txt", byRenata.Names());
        Assert.Contains("QBR 2025-Q4.html", byRenata.Names());
        Assert.DoesNotContain("Wren AMR docking spec.pdf", byRenata.Names());
        Assert.Equal(byRenata.Names().Count, byRenata.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task SiteDocuments_AreFoundOnlyByTheSitesMembers()
    {
        using var priya = await emulators.ClientForAsync("priya");
        using var renata = await emulators.ClientForAsync("renata");

        var byPriya = await (await priya.SearchAsync("Kestrel rollback")).HitsContainerAsync();
        var byRenata = await (await renata.SearchAsync("Kestrel rollback")).HitsContainerAsync();

        Assert.Contains("Kestrel firmware rollback.md", byPriya.Names());
        Assert.DoesNotContain("Kestrel firmware rollback.md", byRenata.Names());
        var hit = byPriya.Hits().First(h => h.GetProperty("resource").GetProperty("name").GetString() == "Kestrel firmware rollback.md");
        var resource = hit.GetProperty("resource");
        Assert.Equal("#microsoft.graph.driveItem", resource.GetProperty("@odata.type").GetString());
        Assert.StartsWith("b!", resource.GetProperty("parentReference").GetProperty("driveId").GetString());
        Assert.StartsWith("halcyonrobotics.sharepoint.com,", resource.GetProperty("parentReference").GetProperty("siteId").GetString());
        Assert.Equal(hit.GetProperty("hitId").GetString(), resource.GetProperty("id").GetString());
        Assert.StartsWith("https://halcyonrobotics.sharepoint.com/sites/engineering/", resource.GetProperty("webUrl").GetString());
    }

    [Fact]
    public async Task Summaries_MarkTheMatchedWords_AndTheCuts()
    {
        using var aditi = await emulators.ClientForAsync("aditi");

        var container = await (await aditi.SearchAsync("\"firmware rollback\"")).HitsContainerAsync();

        var summary = container.Hits()[0].GetProperty("summary").GetString()!;
        Assert.Contains("<c0>firmware</c0> <c0>rollback</c0>", summary, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<ddd/>", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Paging_FollowedToTheEnd_ReturnsEveryHitOnce()
    {
        using var aditi = await emulators.ClientForAsync("aditi");
        var all = await (await aditi.SearchAsync("the", size: 100)).HitsContainerAsync();
        Assert.True(all.GetProperty("total").GetInt32() > 6, "the query should match enough documents to need three pages");

        var seen = new List<string>();
        var from = 0;
        bool more;
        do
        {
            var page = await (await aditi.SearchAsync("the", from, size: 3)).HitsContainerAsync();
            Assert.InRange(page.Hits().Count, 1, 3);
            seen.AddRange(page.Hits().Select(h => h.GetProperty("hitId").GetString()!));
            more = page.GetProperty("moreResultsAvailable").GetBoolean();
            from += 3;
        }
        while (more);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(all.Hits().Select(h => h.GetProperty("hitId").GetString()), seen);
    }

    [Fact]
    public async Task KqlRestrictions_FileTypeOrAndNot_Narrow()
    {
        using var aditi = await emulators.ClientForAsync("aditi");

        var docx = await (await aditi.SearchAsync("incident filetype:docx")).HitsContainerAsync();
        var either = await (await aditi.SearchAsync("Calloway OR Zürich")).HitsContainerAsync();
        var without = await (await aditi.SearchAsync("Calloway -Wren")).HitsContainerAsync();

        Assert.Equal(["Incident postmortem 2025-11.docx"], docx.Names());
        Assert.Contains("Retro 2026-03 Zürich.md", either.Names());
        Assert.Contains("QBR 2025-Q4.html", either.Names());
        Assert.Equal(["QBR 2025-Q4.html"], without.Names());
    }

    [Fact]
    public async Task SortProperties_OrderTheHits_AndAnUnsortableOneIsRefused()
    {
        using var aditi = await emulators.ClientForAsync("aditi");

        using var sorted = await aditi.PostAsJsonAsync("search/query", new
        {
            requests = new[] { new { entityTypes = new[] { "driveItem" }, query = new { queryString = "the" }, sortProperties = new[] { new { name = "lastModifiedDateTime", isDescending = true } } } },
        });
        using var unsortable = await aditi.PostAsJsonAsync("search/query", new
        {
            requests = new[] { new { entityTypes = new[] { "driveItem" }, query = new { queryString = "the" }, sortProperties = new[] { new { name = "colour", isDescending = true } } } },
        });

        var modified = (await sorted.HitsContainerAsync()).Hits()
            .Select(h => h.GetProperty("resource").GetProperty("lastModifiedDateTime").GetDateTime()).ToList();
        Assert.True(modified.Count > 3);
        Assert.Equal(modified.OrderDescending(), modified);
        Assert.Equal(HttpStatusCode.BadRequest, unsortable.StatusCode);
        Assert.Equal("BadRequest", await unsortable.ErrorCodeAsync());
    }

    [Fact]
    public async Task NoMatch_AnswersAnEmptyContainer()
    {
        using var aditi = await emulators.ClientForAsync("aditi");

        var container = await (await aditi.SearchAsync("zeppelin")).HitsContainerAsync();

        Assert.Equal(0, container.GetProperty("total").GetInt32());
        Assert.False(container.GetProperty("moreResultsAvailable").GetBoolean());
        Assert.Empty(container.Hits());
    }

    [Theory]
    [InlineData("""{"requests":[]}""")]
    [InlineData("""{"requests":[{"query":{"queryString":"kestrel"}}]}""")]
    [InlineData("""{"requests":[{"entityTypes":["driveItem"],"query":{}}]}""")]
    [InlineData("""{"requests":[{"entityTypes":["spaceship"],"query":{"queryString":"kestrel"}}]}""")]
    [InlineData("""{"requests":[{"entityTypes":["driveItem"],"query":{"queryString":"kestrel"},"size":501}]}""")]
    [InlineData("""{"requests":[{"entityTypes":["driveItem"],"query":{"queryString":"kestrel"},"from":-1}]}""")]
    [InlineData("""{"requests":[{"entityTypes":["driveItem"],""")]
    public async Task BadRequests_AreRefusedInGraphsErrorShape(string body)
    {
        using var aditi = await emulators.ClientForAsync("aditi");

        using var response = await aditi.PostAsync("search/query", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("BadRequest", await response.ErrorCodeAsync());
    }

    [Fact]
    public async Task AnUnknownSegment_IsABadRequest()
    {
        using var aditi = await emulators.ClientForAsync("aditi");

        using var response = await aditi.GetAsync("spaceships/1");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("BadRequest", await response.ErrorCodeAsync());
    }

    [Fact]
    public async Task ATokenWithoutFilePermissions_IsDenied()
    {
        using var profileOnly = await emulators.ClientForAsync("aditi", "User.Read");

        using var search = await profileOnly.SearchAsync("kestrel");
        var me = await profileOnly.GetFromJsonAsync<System.Text.Json.JsonElement>("me");

        Assert.Equal(HttpStatusCode.Forbidden, search.StatusCode);
        Assert.Equal("accessDenied", await search.ErrorCodeAsync());
        Assert.Equal("aditi.raman@halcyon-robotics.example", me.GetProperty("mail").GetString());
    }
}
