using System.Text.Json.Nodes;

namespace Workplace.Tests.Emulators.Notion;

public sealed class NotionApiTests
{
    [Fact]
    public async Task Search_TheSameQuery_GivesEachUserOnlyThePagesTheySee()
    {
        await using var emulators = new EmulatorsHost();
        using var notion = new NotionCalls(emulators.BaseAddress);
        var aditi = await notion.TokenAsync("aditi");
        var renata = await notion.TokenAsync("renata");
        var priya = await notion.TokenAsync("priya");

        async Task<string[]> Titles(string token, string query) => [.. (await notion.SearchAllAsync(token, query)).Select(NotionCalls.Title).Order(StringComparer.Ordinal)];

        Assert.Equal(["Fleet Console roadmap for customers"], await Titles(aditi, "roadmap"));
        Assert.Equal(["Fleet Console roadmap for customers"], await Titles(renata, "ROADMAP"));
        Assert.Empty(await Titles(priya, "roadmap"));
        Assert.Equal(["Engineering Home", "Weekly Engineering Sync — 2026-02-09", "Weekly Engineering Sync — 2026-02-16"], await Titles(aditi, "engineering"));
        Assert.Equal(await Titles(aditi, "engineering"), await Titles(priya, "engineering"));
        Assert.Empty(await Titles(renata, "engineering"));
        Assert.Equal(["Acme Logistics deal notes"], await Titles(renata, "acme notes"));
        Assert.Empty(await Titles(aditi, "acme"));
        Assert.Equal(13, (await Titles(aditi, "")).Length);
        Assert.Equal(7, (await Titles(renata, "")).Length);
        Assert.Equal(12, (await Titles(priya, "")).Length);
        foreach (var token in new[] { aditi, renata, priya })
        {
            Assert.Contains("Austin office launch", await Titles(token, "austin"));
            Assert.Contains("Halcyon Robotics Employee Handbook", await Titles(token, "handbook"));
        }
    }

    [Fact]
    public async Task APageOfTheClosedTeamspace_IsNotFoundById_ForANonMember_WithItsBlocks()
    {
        await using var emulators = new EmulatorsHost();
        using var notion = new NotionCalls(emulators.BaseAddress);
        var priya = await notion.TokenAsync("priya");
        var renata = await notion.TokenAsync("renata");
        var home = (await notion.SearchAllAsync(priya, "Engineering Home")).Single();
        var id = home["id"]!.GetValue<string>();
        var firstBlock = (await notion.ChildrenAsync(priya, id))[0]["id"]!.GetValue<string>();

        var asMember = await notion.GetAsync($"pages/{id}", priya);
        var asBlock = await notion.GetAsync($"blocks/{id}", priya);
        var asOther = await notion.GetAsync($"pages/{id}", renata);
        var childrenAsOther = await notion.GetAsync($"blocks/{id}/children", renata);
        var blockAsOther = await notion.GetAsync($"blocks/{firstBlock}", renata);

        Assert.Equal(200, asMember.Status);
        Assert.Equal("workspace", asMember.Body["parent"]!["type"]!.GetValue<string>());
        Assert.Equal("Engineering Home", asBlock.Body["child_page"]!["title"]!.GetValue<string>());
        Assert.True(asBlock.Body["has_children"]!.GetValue<bool>());
        NotionCalls.AssertError(404, "object_not_found", asOther);
        Assert.Contains(id, asOther.Body["message"]!.GetValue<string>(), StringComparison.Ordinal);
        NotionCalls.AssertError(404, "object_not_found", childrenAsOther);
        NotionCalls.AssertError(404, "object_not_found", blockAsOther);
    }

    [Fact]
    public async Task Search_PagedByTwo_ReachesTheEndWithoutRepeats_InLastEditedOrder()
    {
        await using var emulators = new EmulatorsHost();
        using var notion = new NotionCalls(emulators.BaseAddress);
        var aditi = await notion.TokenAsync("aditi");

        var paged = await notion.SearchAllAsync(aditi, "", pageSize: 2);
        var whole = await notion.SearchAllAsync(aditi, "");
        var (_, ascending, _) = await notion.PostAsync("search", aditi, """{"sort":{"timestamp":"last_edited_time","direction":"ascending"}}""");

        var ids = paged.Select(r => r["id"]!.GetValue<string>()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(whole.Select(r => r["id"]!.GetValue<string>()), ids);
        var edited = paged.Select(r => DateTimeOffset.Parse(r["last_edited_time"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(edited.OrderDescending(), edited);
        Assert.Equal(Enumerable.Reverse(ids), ascending["results"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Search_FiltersByObject_AndRefusesTheOldDatabaseValue()
    {
        await using var emulators = new EmulatorsHost();
        using var notion = new NotionCalls(emulators.BaseAddress);
        var aditi = await notion.TokenAsync("aditi");

        var dataSources = await notion.SearchAllAsync(aditi, "", filter: "data_source");
        var pages = await notion.SearchAllAsync(aditi, "", filter: "page");
        var database = await notion.PostAsync("search", aditi, """{"filter":{"property":"object","value":"database"}}""");

        Assert.Equal(["Meeting notes"], dataSources.Select(NotionCalls.Title));
        Assert.All(dataSources, d => Assert.Equal("data_source", d["object"]!.GetValue<string>()));
        Assert.Equal(12, pages.Count);
        Assert.All(pages, p => Assert.Equal("page", p["object"]!.GetValue<string>()));
        NotionCalls.AssertError(400, "validation_error", database);
    }

    [Fact]
    public async Task BlockChildren_OfALargePage_ArePagedByStartCursor_AndJoinToTheWhole()
    {
        await using var emulators = new EmulatorsHost();
        using var notion = new NotionCalls(emulators.BaseAddress);
        var renata = await notion.TokenAsync("renata");
        var handbook = (await notion.SearchAllAsync(renata, "handbook")).Single()["id"]!.GetValue<string>();

        var (_, first, _) = await notion.GetAsync($"blocks/{handbook}/children", renata);
        var byHundred = await notion.ChildrenAsync(renata, handbook);
        var bySeven = await notion.ChildrenAsync(renata, handbook, pageSize: 7);

        Assert.Equal(100, first["results"]!.AsArray().Count);
        Assert.True(first["has_more"]!.GetValue<bool>());
        Assert.Equal("block", first["type"]!.GetValue<string>());
        Assert.True(byHundred.Count > 100);
        var ids = bySeven.Select(b => b["id"]!.GetValue<string>()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(byHundred.Select(b => b["id"]!.GetValue<string>()), ids);
        var words = (await DescendantsAsync(notion, renata, handbook)).Sum(b => NotionCalls.Text(b).Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.True(words > 4000, $"the handbook holds {words} words");
    }

    [Fact]
    public async Task Blocks_NestUnderHasChildren_AndCoverTheTypesAWorkspaceHolds()
    {
        await using var emulators = new EmulatorsHost();
        using var notion = new NotionCalls(emulators.BaseAddress);
        var aditi = await notion.TokenAsync("aditi");
        var blocks = new List<JsonObject>();
        foreach (var page in await notion.SearchAllAsync(aditi, "", filter: "page"))
        {
            blocks.AddRange(await DescendantsAsync(notion, aditi, page["id"]!.GetValue<string>()));
        }

        string[] expected =
        [
            "heading_1", "heading_2", "heading_3", "paragraph", "bulleted_list_item", "numbered_list_item", "to_do", "toggle", "quote",
            "callout", "code", "table", "table_row", "child_page", "child_database", "divider", "bookmark", "image",
        ];
        var types = blocks.Select(b => b["type"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        Assert.All(expected, type => Assert.Contains(type, types));
        var segments = blocks.Select(b => b[b["type"]!.GetValue<string>()]!["rich_text"]).OfType<JsonArray>().SelectMany(r => r).ToList();
        Assert.Contains(segments, s => s!["annotations"]!["bold"]!.GetValue<bool>());
        Assert.Contains(segments, s => s!["annotations"]!["italic"]!.GetValue<bool>());
        Assert.Contains(segments, s => s!["annotations"]!["code"]!.GetValue<bool>());
        Assert.Contains(segments, s => s!["href"]?.GetValue<string>() == "https://status.halcyon-robotics.example" && s["text"]!["link"]!["url"]!.GetValue<string>() == "https://status.halcyon-robotics.example");

        var home = (await notion.SearchAllAsync(aditi, "Engineering Home")).Single()["id"]!.GetValue<string>();
        var top = await notion.ChildrenAsync(aditi, home);
        var toggle = top.First(b => b["type"]!.GetValue<string>() == "toggle");
        var table = top.First(b => b["type"]!.GetValue<string>() == "table");
        var childPage = top.First(b => b["type"]!.GetValue<string>() == "child_page");
        Assert.True(toggle["has_children"]!.GetValue<bool>());
        var insideToggle = await notion.ChildrenAsync(aditi, toggle["id"]!.GetValue<string>());
        Assert.Equal(["paragraph", "numbered_list_item", "numbered_list_item", "numbered_list_item"], insideToggle.Select(b => b["type"]!.GetValue<string>()));
        Assert.All(insideToggle, b => Assert.Equal(toggle["id"]!.GetValue<string>(), b["parent"]!["block_id"]!.GetValue<string>()));
        var rows = await notion.ChildrenAsync(aditi, table["id"]!.GetValue<string>());
        Assert.Equal(5, rows.Count);
        Assert.Equal(4, table["table"]!["table_width"]!.GetValue<int>());
        Assert.Equal("Lead", string.Concat(rows[0]["table_row"]!["cells"]![1]!.AsArray().Select(t => t!["plain_text"]!.GetValue<string>())));
        var (status, subPage, _) = await notion.GetAsync($"pages/{childPage["id"]!.GetValue<string>()}", aditi);
        Assert.Equal(200, status);
        Assert.Equal(childPage["child_page"]!["title"]!.GetValue<string>(), NotionCalls.Title(subPage));
        Assert.Equal(home, subPage["parent"]!["page_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Ids_AreTakenWithOrWithoutDashes_AndAnythingElseIsAValidationError()
    {
        await using var emulators = new EmulatorsHost();
        using var notion = new NotionCalls(emulators.BaseAddress);
        var aditi = await notion.TokenAsync("aditi");
        var id = (await notion.SearchAllAsync(aditi, "Zürich offsite")).Single()["id"]!.GetValue<string>();
        var compact = Guid.Parse(id).ToString("N");

        var page = await notion.GetAsync($"pages/{compact}", aditi);
        var children = await notion.GetAsync($"blocks/{compact}/children?page_size=3", aditi);
        var invalid = await notion.GetAsync("pages/not-a-uuid", aditi);

        Assert.Equal(200, page.Status);
        Assert.Equal(id, page.Body["id"]!.GetValue<string>());
        Assert.Equal(3, children.Body["results"]!.AsArray().Count);
        NotionCalls.AssertError(400, "validation_error", invalid);
    }

    [Fact]
    public async Task ADatabase_NamesItsDataSource_WhoseQueryFiltersAndSortsItsRows()
    {
        await using var emulators = new EmulatorsHost();
        using var notion = new NotionCalls(emulators.BaseAddress);
        var aditi = await notion.TokenAsync("aditi");
        var renata = await notion.TokenAsync("renata");
        var home = (await notion.SearchAllAsync(aditi, "Engineering Home")).Single()["id"]!.GetValue<string>();
        var databaseId = (await notion.ChildrenAsync(aditi, home)).Single(b => b["type"]!.GetValue<string>() == "child_database")["id"]!.GetValue<string>();

        var (_, database, _) = await notion.GetAsync($"databases/{databaseId}", aditi);
        var dataSourceId = database["data_sources"]![0]!["id"]!.GetValue<string>();
        var (_, all, _) = await notion.PostAsync($"data_sources/{dataSourceId}/query", aditi, """{"sorts":[{"property":"Date","direction":"ascending"}]}""");
        var (_, console, _) = await notion.PostAsync($"data_sources/{dataSourceId}/query", aditi, """{"filter":{"and":[{"property":"Tags","multi_select":{"contains":"Console"}},{"property":"Date","date":{"on_or_after":"2026-02-10"}}]}}""");
        var unsupported = await notion.PostAsync($"data_sources/{dataSourceId}/query", aditi, """{"filter":{"property":"Tags","checkbox":{"equals":true}}}""");
        var asOther = await notion.PostAsync($"data_sources/{dataSourceId}/query", renata, "{}");
        var databaseAsOther = await notion.GetAsync($"databases/{databaseId}", renata);

        Assert.Equal("database", database["object"]!.GetValue<string>());
        Assert.Equal(["Weekly Engineering Sync — 2026-02-09", "Weekly Engineering Sync — 2026-02-16"], all["results"]!.AsArray().Select(r => NotionCalls.Title((JsonObject)r!)));
        Assert.All(all["results"]!.AsArray(), r => Assert.Equal(dataSourceId, r!["parent"]!["data_source_id"]!.GetValue<string>()));
        Assert.Equal(["Weekly Engineering Sync — 2026-02-16"], console["results"]!.AsArray().Select(r => NotionCalls.Title((JsonObject)r!)));
        NotionCalls.AssertError(400, "validation_error", unsupported);
        NotionCalls.AssertError(404, "object_not_found", asOther);
        NotionCalls.AssertError(404, "object_not_found", databaseAsOther);
    }

    [Fact]
    public async Task Requests_WithoutAValidTokenOrVersion_OrWithBadInput_AreRefusedInNotionsErrorShape()
    {
        await using var emulators = new EmulatorsHost();
        using var notion = new NotionCalls(emulators.BaseAddress);
        var aditi = await notion.TokenAsync("aditi");
        var page = (await notion.SearchAllAsync(aditi, "Zürich")).Single()["id"]!.GetValue<string>();

        NotionCalls.AssertError(401, "unauthorized", await notion.PostAsync("search", null, "{}"));
        NotionCalls.AssertError(401, "unauthorized", await notion.PostAsync("search", "ntn_made_up", "{}"));
        NotionCalls.AssertError(400, "missing_version", await notion.PostAsync("search", aditi, "{}", version: null));
        NotionCalls.AssertError(400, "validation_error", await notion.PostAsync("search", aditi, "{}", version: "2022-06-28"));
        NotionCalls.AssertError(400, "invalid_json", await notion.PostAsync("search", aditi, "{\"query\":"));
        NotionCalls.AssertError(400, "validation_error", await notion.PostAsync("search", aditi, """{"page_size":101}"""));
        NotionCalls.AssertError(400, "validation_error", await notion.PostAsync("search", aditi, """{"query":42}"""));
        NotionCalls.AssertError(400, "validation_error", await notion.PostAsync("search", aditi, """{"start_cursor":"not-a-cursor"}"""));
        NotionCalls.AssertError(400, "validation_error", await notion.PostAsync("search", aditi, """{"sort":{"timestamp":"created_time","direction":"descending"}}"""));
        NotionCalls.AssertError(400, "validation_error", await notion.GetAsync($"blocks/{page}/children?page_size=101", aditi));
        NotionCalls.AssertError(400, "validation_error", await notion.GetAsync($"blocks/{page}/children?page_size=0", aditi));
        NotionCalls.AssertError(404, "object_not_found", await notion.GetAsync($"pages/{Guid.NewGuid()}", aditi));
        Assert.Equal(200, (await notion.PostAsync("search", aditi, "{}", version: "2026-03-11")).Status);
    }

    [Fact]
    public async Task AnAuthorsId_ResolvesToTheirName_AndMeIsTheGrantsBotOwnedByTheCaller()
    {
        await using var emulators = new EmulatorsHost();
        using var notion = new NotionCalls(emulators.BaseAddress);
        var grant = await notion.GrantAsync("renata");
        var token = grant["access_token"]!.GetValue<string>();
        var page = (await notion.SearchAllAsync(token, "roadmap")).Single();

        var (_, author, _) = await notion.GetAsync($"users/{page["last_edited_by"]!["id"]!.GetValue<string>()}", token);
        var (_, me, _) = await notion.GetAsync("users/me", token);

        Assert.Equal("Aditi Raman", author["name"]!.GetValue<string>());
        Assert.Equal("aditi.raman@halcyon-robotics.example", author["person"]!["email"]!.GetValue<string>());
        Assert.Equal("bot", me["type"]!.GetValue<string>());
        Assert.Equal(grant["bot_id"]!.GetValue<string>(), me["id"]!.GetValue<string>());
        Assert.Equal(grant["owner"]!["user"]!["id"]!.GetValue<string>(), me["bot"]!["owner"]!["user"]!["id"]!.GetValue<string>());
        NotionCalls.AssertError(404, "object_not_found", await notion.GetAsync($"users/{Guid.NewGuid()}", token));
    }

    /// <summary>Every block below <paramref name="id"/>, depth first, following has_children (not into child pages).</summary>
    private static async Task<List<JsonObject>> DescendantsAsync(NotionCalls notion, string token, string id)
    {
        var all = new List<JsonObject>();
        foreach (var block in await notion.ChildrenAsync(token, id))
        {
            all.Add(block);
            if (block["has_children"]!.GetValue<bool>() && block["type"]!.GetValue<string>() != "child_page")
            {
                all.AddRange(await DescendantsAsync(notion, token, block["id"]!.GetValue<string>()));
            }
        }
        return all;
    }
}
