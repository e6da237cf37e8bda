using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Workplace.Emulators.Faults;
using Workplace.Emulators.Google.Workspace;
using Workplace.Emulators.Graph;
using Workplace.Emulators.Notion;
using Workplace.Emulators.Workspace;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Graph;

// Google Drive, Notion and SharePoint through the whole graph, as the people of the emulated workspace, with the MCP
// client: who sees what, what fetch reads, and what each provider's failures become.
[Collection(ProviderGraphCollection.Name)]
public sealed class ProviderSourcesTests(ProviderGraphFixture graph)
{
    private static readonly DriveWorkspace s_drive = DriveWorkspace.Sample;
    private static readonly NotionWorkspace s_notion = new();
    private static readonly GraphWorkspace s_graph = new();

    public static TheoryData<string> Providers => new(ProviderGraphFixture.Providers);

    [Fact]
    public async Task The_graph_trusts_the_emulators_issuer_and_refuses_a_caller_without_a_token()
    {
        using var anonymous = await graph.Http.PostAsync(new Uri(graph.McpApiUrl, "/mcp/tools/list_sources/call"), JsonContent.Create(new { }));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);
        foreach (var source in ProviderGraphFixture.Providers)
        {
            var listed = await graph.ListedAsync(EmulatedUsers.Aditi, source);
            Assert.True(listed.GetProperty("granted").GetBoolean() && listed.GetProperty("connected").GetBoolean() && listed.GetProperty("emulated").GetBoolean(), listed.ToString());
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Two_people_searching_the_same_words_each_see_exactly_what_the_provider_lets_them_see(string source)
    {
        var (id, title) = OnlyAditiSees(source);
        await using var aditi = await graph.ClientAsync(EmulatedUsers.Aditi);
        await using var renata = await graph.ClientAsync(EmulatedUsers.Renata);

        var hers = await SearchAsync(aditi, title, [source]);
        var others = await SearchAsync(renata, title, [source]);

        Assert.Equal("ok", Status(hers, source).GetProperty("status").GetString());
        Assert.Equal("ok", Status(others, source).GetProperty("status").GetString());
        Assert.Contains(id, Ids(hers));
        Assert.DoesNotContain(id, Ids(others));
        Assert.All(Ids(hers), found => Assert.True(Visible(EmulatedUsers.Aditi, found), $"Aditi was shown {found}, which she may not see"));
        Assert.All(Ids(others), found => Assert.True(Visible(EmulatedUsers.Renata, found), $"Renata was shown {found}, which she may not see"));

        var fetchedByAditi = await aditi.CallToolAsync("fetch", new Dictionary<string, object?> { ["id"] = id });
        var fetchedByRenata = await renata.CallToolAsync("fetch", new Dictionary<string, object?> { ["id"] = id });
        Assert.NotEqual(true, fetchedByAditi.IsError);
        Assert.True(fetchedByRenata.IsError, $"Renata fetched {id}: {Text(fetchedByRenata)}");
        Assert.DoesNotContain(Text(fetchedByAditi)[..Math.Min(200, Text(fetchedByAditi).Length)], Text(fetchedByRenata), StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_search_fuses_every_provider_and_every_result_is_one_the_caller_may_see()
    {
        await using var renata = await graph.ClientAsync(EmulatedUsers.Renata);

        var result = await SearchAsync(renata, "pricing", sources: null);

        foreach (var source in ProviderGraphFixture.Providers)
        {
            Assert.Equal("ok", Status(result, source).GetProperty("status").GetString());
        }
        var bySource = Results(result).GroupBy(r => r.GetProperty("source").GetString()!).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        Assert.True(bySource.Keys.Intersect(ProviderGraphFixture.Providers).Count() >= 2, $"One list from at least two providers expected: {string.Join(", ", bySource)}");
        Assert.All(Ids(result).Where(i => !i.StartsWith("files:", StringComparison.Ordinal)),
            found => Assert.True(Visible(EmulatedUsers.Renata, found), $"Renata was shown {found}, which she may not see"));
        var scores = Results(result).Select(r => r.GetProperty("score").GetDouble()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Fetched_ranges_join_to_the_whole_document(string source)
    {
        var (id, title) = OnlyAditiSees(source);
        await using var aditi = await graph.ClientAsync(EmulatedUsers.Aditi);

        var whole = Structured(await aditi.CallToolAsync("fetch", new Dictionary<string, object?> { ["id"] = id, ["max_chars"] = 100_000 }));
        var joined = new StringBuilder();
        int? offset = 0;
        var ranges = 0;
        while (offset is { } next)
        {
            var range = Structured(await aditi.CallToolAsync("fetch", new Dictionary<string, object?> { ["id"] = id, ["offset"] = next, ["max_chars"] = 97 }));
            joined.Append(range.GetProperty("content").GetString());
            offset = range.GetProperty("next_offset").ValueKind == JsonValueKind.Null ? null : range.GetProperty("next_offset").GetInt32();
            ranges++;
        }

        var content = whole.GetProperty("content").GetString()!;
        Assert.Equal(content, joined.ToString());
        Assert.Equal(content.Length, whole.GetProperty("total_chars").GetInt32());
        Assert.True(ranges > 1, $"{id} fits in one 97-character range; pick a longer document");
        Assert.Contains(FirstWord(title), content, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_expired_access_token_is_refreshed_once_for_twenty_concurrent_calls()
    {
        await using var aditi = await graph.ClientAsync(EmulatedUsers.Aditi);
        var before = await GoogleRefreshesAsync();
        using var expired = await graph.Http.PostAsJsonAsync(new Uri(graph.EmulatorsUrl, "/admin/google/expire"), new { user = EmulatedUsers.Aditi.Id });
        expired.EnsureSuccessStatusCode();

        var (id, _) = OnlyAditiSees("google_drive");

        // Fetches rather than searches: each is one cheap call to Drive (a search scans every file's text at the emulator),
        // and none is answered from mcpapi's search cache.
        var fetches = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => aditi.CallToolAsync("fetch", new Dictionary<string, object?> { ["id"] = id, ["max_chars"] = 100 }).AsTask()));

        Assert.All(fetches, f => Assert.Equal(id, Structured(f).GetProperty("id").GetString()));
        Assert.Equal(before + 1, await GoogleRefreshesAsync());
    }

    [Fact]
    public async Task A_revoked_grant_reads_not_connected_with_a_connect_url_that_connects_again()
    {
        await using var renata = await graph.ClientAsync(EmulatedUsers.Renata);
        await graph.FaultAsync("notion", new Fault(FaultKind.RevokedGrant, User: EmulatedUsers.Renata.Id));
        try
        {
            var result = await SearchAsync(renata, "launch plan", ["notion"]);

            var notion = Status(result, "notion");
            Assert.Equal("not_connected", notion.GetProperty("status").GetString());
            Assert.NotEqual(true, result.IsError);
            var url = notion.GetProperty("connect_url").GetString()!;
            Assert.StartsWith(new Uri(graph.McpApiUrl, "/connect/notion?ticket=").ToString(), url, StringComparison.Ordinal);
            Assert.Equal(url[..url.IndexOf('?', StringComparison.Ordinal)], (await graph.ConnectUrlAsync(EmulatedUsers.Renata, "notion"))?.Split('?')[0]);
        }
        finally
        {
            await graph.ClearFaultsAsync("notion");
        }

        await graph.ConnectAsync(EmulatedUsers.Renata, "notion");
        var again = await SearchAsync(renata, "launch plan again", ["notion"]);
        Assert.Equal("ok", Status(again, "notion").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_429_with_retry_after_is_waited_out_and_the_search_succeeds()
    {
        await using var renata = await graph.ClientAsync(EmulatedUsers.Renata);
        var title = s_notion.Pages.First(p => p.Readers.Count == 1 && p.Readers.Contains(EmulatedUsers.Renata.Id)).Title;
        await graph.FaultAsync("notion", new Fault(FaultKind.RateLimited, Count: 1, RetryAfterSeconds: 1, User: EmulatedUsers.Renata.Id));
        try
        {
            var result = await SearchAsync(renata, title, ["notion"]);

            Assert.Equal("ok", Status(result, "notion").GetProperty("status").GetString());
            Assert.NotEmpty(Results(result));
        }
        finally
        {
            await graph.ClearFaultsAsync("notion");
        }
    }

    [Fact]
    public async Task A_hung_provider_is_a_timeout_while_the_others_answer()
    {
        await using var renata = await graph.ClientAsync(EmulatedUsers.Renata);
        await graph.FaultAsync("google", new Fault(FaultKind.Hang, User: EmulatedUsers.Renata.Id));
        try
        {
            var result = await SearchAsync(renata, "quarterly pricing review", sources: null);

            Assert.NotEqual(true, result.IsError);
            Assert.Equal("timeout", Status(result, "google_drive").GetProperty("status").GetString());
            Assert.Equal("ok", Status(result, "notion").GetProperty("status").GetString());
            Assert.Equal("ok", Status(result, "sharepoint").GetProperty("status").GetString());
        }
        finally
        {
            await graph.ClearFaultsAsync("google");
        }
    }

    [Fact]
    public async Task Malformed_answers_from_a_provider_are_a_clear_error_of_that_source_only()
    {
        await using var renata = await graph.ClientAsync(EmulatedUsers.Renata);
        await graph.FaultAsync("graph", new Fault(FaultKind.MalformedJson, User: EmulatedUsers.Renata.Id));
        try
        {
            var result = await SearchAsync(renata, "renewal terms", sources: null);

            Assert.NotEqual(true, result.IsError);
            var sharepoint = Status(result, "sharepoint");
            Assert.Equal("error", sharepoint.GetProperty("status").GetString());
            Assert.Contains("JSON", sharepoint.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal("ok", Status(result, "google_drive").GetProperty("status").GetString());
        }
        finally
        {
            await graph.ClearFaultsAsync("graph");
        }
    }

    [Fact]
    public async Task After_repeated_failures_the_source_is_paused_and_answered_at_once_until_it_recovers()
    {
        await using var renata = await graph.ClientAsync(EmulatedUsers.Renata);
        await graph.FaultAsync("graph", new Fault(FaultKind.ServerError, Status: 500, User: EmulatedUsers.Renata.Id));
        JsonElement paused;
        try
        {
            var attempt = 0;
            paused = JsonDocument.Parse(await Poll.UntilAsync(async () =>
            {
                var status = Status(await SearchAsync(renata, $"failing {attempt++}", ["sharepoint"]), "sharepoint");
                return status.TryGetProperty("message", out var message) && message.GetString()!.Contains("paused", StringComparison.Ordinal) ? status.GetRawText() : null;
            }, TimeSpan.FromMinutes(1), "SharePoint was never paused")).RootElement;
        }
        finally
        {
            await graph.ClearFaultsAsync("graph");
        }

        Assert.Equal("error", paused.GetProperty("status").GetString());
        var listed = await graph.ListedAsync(EmulatedUsers.Renata, "sharepoint");
        Assert.True(listed.TryGetProperty("paused_until", out var until) && until.GetDateTimeOffset() > DateTimeOffset.UtcNow, $"list_sources does not show the pause: {listed}");
        var atOnce = Status(await SearchAsync(renata, "while paused", ["sharepoint"]), "sharepoint");
        Assert.Contains("paused", atOnce.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(atOnce.GetProperty("latency_ms").GetInt64() < 1_000, $"A paused source still took {atOnce.GetProperty("latency_ms")} ms");

        // The pause ends by itself, and the source answers again; later tests see it healthy.
        await Poll.UntilAsync(async () =>
            Status(await SearchAsync(renata, $"recovered {Guid.NewGuid():N}", ["sharepoint"]), "sharepoint").GetProperty("status").GetString() == "ok",
            TimeSpan.FromMinutes(1), "SharePoint never answered again after its pause");
    }

    [Fact]
    public async Task A_2026_client_is_asked_to_connect_and_its_retried_call_finds_the_source_connected()
    {
        var asked = new List<ElicitRequestParams>();
        await using var priya = await graph.ClientAsync(EmulatedUsers.Priya, "2026-07-28", async (request, _) =>
        {
            asked.Add(request!);
            await ProviderGraphFixture.OpenInBrowserAsync(request!.Url!);
            return new ElicitResult { Action = "accept" };
        }, urlElicitation: true);

        var result = await SearchAsync(priya, "onboarding", ["notion"]);

        var elicitation = Assert.Single(asked);
        Assert.Equal("url", elicitation.Mode);
        Assert.StartsWith(new Uri(graph.McpApiUrl, "/connect/notion?ticket=").ToString(), elicitation.Url, StringComparison.Ordinal);
        Assert.Equal("ok", Status(result, "notion").GetProperty("status").GetString());
        Assert.Null(await graph.ConnectUrlAsync(EmulatedUsers.Priya, "notion"));
    }

    [Fact]
    public async Task A_2025_client_gets_the_url_elicitation_error_and_its_retry_succeeds_once_connected()
    {
        await using var priya = await graph.ClientAsync(EmulatedUsers.Priya, "2025-11-25", urlElicitation: true);

        var error = await Assert.ThrowsAsync<UrlElicitationRequiredException>(async () => await SearchAsync(priya, "benefits", ["sharepoint"]));

        var elicitation = Assert.Single(error.Elicitations);
        Assert.StartsWith(new Uri(graph.McpApiUrl, "/connect/sharepoint?ticket=").ToString(), elicitation.Url, StringComparison.Ordinal);
        await ProviderGraphFixture.OpenInBrowserAsync(elicitation.Url!);
        var retried = await SearchAsync(priya, "benefits", ["sharepoint"]);
        Assert.Equal("ok", Status(retried, "sharepoint").GetProperty("status").GetString());
    }

    private async Task<long> GoogleRefreshesAsync()
    {
        using var stats = JsonDocument.Parse(await graph.Http.GetStringAsync(new Uri(graph.EmulatorsUrl, "/admin/google/stats")));
        return stats.RootElement.GetProperty("refreshCalls").GetInt64();
    }

    /// <summary>A document of <paramref name="source"/> Aditi may see and Renata may not, and its title.</summary>
    private static (string Id, string Title) OnlyAditiSees(string source)
    {
        var (aditi, renata) = (EmulatedUsers.Aditi, EmulatedUsers.Renata);
        return source switch
        {
            "google_drive" => s_drive.Files
                .Where(f => f.MimeType == DriveMimeTypes.Document && s_drive.CanSee(aditi.Id, f) && !s_drive.CanSee(renata.Id, f))
                .Select(f => ($"google_drive:{f.Id}", f.Name)).First(),
            "notion" => s_notion.Pages
                .Where(p => p.Database is null && p.Readers.Contains(aditi.Id) && !p.Readers.Contains(renata.Id) && p.Blocks.Count > 3)
                .Select(p => ($"notion:{p.Id:D}", p.Title)).First(),
            _ => s_graph.Items
                .Where(i => i.IsVisibleTo(aditi) && !i.IsVisibleTo(renata) && i.Name.EndsWith(".docx", StringComparison.Ordinal))
                .Select(i => ($"sharepoint:{i.Drive.Id}~{i.Id}", Path.GetFileNameWithoutExtension(i.Name))).First(),
        };
    }

    private static bool Visible(EmulatedUser user, string id)
    {
        var colon = id.IndexOf(':', StringComparison.Ordinal);
        var (source, native) = (id[..colon], id[(colon + 1)..]);
        return source switch
        {
            "google_drive" => s_drive.Find(native) is { } file && s_drive.CanSee(user.Id, file),
            "notion" when native.StartsWith("ds-", StringComparison.Ordinal) => s_notion.FindDataSource(Guid.Parse(native[3..])) is { } database && database.Readers.Contains(user.Id),
            "notion" => s_notion.FindPage(Guid.Parse(native)) is { } page && page.Readers.Contains(user.Id),
            "sharepoint" => s_graph.FindItem(native[(native.IndexOf('~', StringComparison.Ordinal) + 1)..]) is { } item && item.IsVisibleTo(user),
            _ => true,
        };
    }

    private static string FirstWord(string title) => title.Split([' ', '-', '_'], StringSplitOptions.RemoveEmptyEntries).First(w => w.Length > 3);

    private static async Task<CallToolResult> SearchAsync(McpClient client, string query, string[]? sources)
    {
        var arguments = new Dictionary<string, object?> { ["query"] = query, ["max_results"] = 50 };
        if (sources is not null)
        {
            arguments["sources"] = sources;
        }
        return await client.CallToolAsync("search", arguments);
    }

    private static JsonElement Structured(CallToolResult result) =>
        result.IsError == true ? throw new Xunit.Sdk.XunitException($"The call failed: {Text(result)}") : result.StructuredContent!.Value;

    private static JsonElement Status(CallToolResult result, string source) =>
        Structured(result).GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("source").GetString() == source);

    private static List<JsonElement> Results(CallToolResult result) => [.. Structured(result).GetProperty("results").EnumerateArray()];

    private static List<string> Ids(CallToolResult result) => [.. Results(result).Select(r => r.GetProperty("id").GetString()!)];

    private static string Text(CallToolResult result) => string.Join('\n', result.Content.OfType<TextContentBlock>().Select(t => t.Text));
}
