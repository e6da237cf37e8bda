using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Workplace.ServiceDefaults.ConnectorApi;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Connectors;

/// <summary>The real Connectors app on a loopback Kestrel port, serving a temp folder of fixture documents.</summary>
public sealed class ConnectorsFixture : IAsyncLifetime
{
    public const long MaxFileBytes = 200_000;

    public string Root { get; } = Directory.CreateTempSubdirectory("connectors-root-").FullName;
    public string Outside { get; } = Directory.CreateTempSubdirectory("connectors-outside-").FullName;
    public string Key { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    public string LongDocument { get; private set; } = "";
    public HttpClient Client { get; private set; } = null!;

    private ConnectorsApp? _connectors;

    public async Task InitializeAsync()
    {
        WriteDocuments();
        _connectors = ConnectorsApp.Start(Root, Key,
            ("Sources:Files:MaxFileBytes", MaxFileBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            // The watcher normally reports a change within the debounce; a short rescan bounds the wait if a loaded machine drops an event.
            ("Sources:Files:RescanInterval", "00:00:10"));
        Client = new HttpClient { BaseAddress = _connectors.BaseAddress };
        Authorize(Client, Assertion("files"));
        // Ready, as an orchestrator would wait for it: the first full scan of the folder is indexed.
        await Poll.UntilAsync(async () => (await Client.GetAsync("/health")).IsSuccessStatusCode, TimeSpan.FromSeconds(30), "connectors to be ready");
    }

    public string Assertion(params string[] sources) =>
        new InternalAssertion(Key).Create(new InternalPrincipal("user-1", sources.ToHashSet()));

    public static void Authorize(HttpClient client, string? assertion) =>
        client.DefaultRequestHeaders.Authorization = assertion is null ? null : new AuthenticationHeaderValue("Bearer", assertion);

    public HttpClient NewClient(string? assertion)
    {
        var client = new HttpClient { BaseAddress = Client.BaseAddress };
        Authorize(client, assertion);
        return client;
    }

    public static string IdOf(string relativePath) => "files:" + System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(relativePath));

    public async Task<JsonElement> SearchAsync(string query, int maxResults = 10, bool includeContent = false, DateTimeOffset? modifiedAfter = null)
    {
        using var response = await Client.PostAsJsonAsync(ConnectorRoutes.Search("files"), new Dictionary<string, object?>
        {
            ["query"] = query,
            ["max_results"] = maxResults,
            ["include_content"] = includeContent,
            ["modified_after"] = modifiedAfter,
        });
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results");
    }

    public Task<HttpResponseMessage> FetchAsync(string id, int? offset = null, int? maxChars = null) =>
        Client.GetAsync($"{ConnectorRoutes.Documents}?id={Uri.EscapeDataString(id)}"
            + (offset is null ? "" : $"&offset={offset}") + (maxChars is null ? "" : $"&max_chars={maxChars}"));

    private void WriteDocuments()
    {
        File.WriteAllText(Path.Combine(Root, "travel.md"),
            "# Travel Policy\n\nEmployees book economy flights for trips under six hours.\n\nThe quarterly review of travel spend is owned by finance.\n");
        File.WriteAllText(Path.Combine(Root, "review-notes.md"),
            "# Review notes\n\nReview, review, review: every review is quarterly. Quarterly numbers, quarterly targets, review again.\n");
        Directory.CreateDirectory(Path.Combine(Root, "guides"));
        File.WriteAllText(Path.Combine(Root, "guides", "onboarding.html"), """
            <html><head><title>Onboarding Guide</title><style>.x { color: red }</style>
            <script>var scriptonlyword = "leak";</script></head>
            <body><nav>navonlyword menu</nav><div class="topnav"><a href="/home">menuclassword</a></div><div role="navigation">roleword</div>
            <h1>Welcome aboard</h1>
            <p>Hello <strong>new</strong> hire, read <a href="https://wiki.example/start">the wiki</a> first.</p>
            <h2>Your first week</h2>
            <ul><li>Laptop pickup</li><li>Badge photo<ul><li>Bring ID</li></ul></li></ul>
            <ol><li>Meet the team</li><li>Ship something</li></ol>
            <table><tr><th>Day</th><th>Task</th></tr><tr><td>Monday</td><td>Setup</td></tr></table>
            <pre><code class="language-bash">git clone repo</code></pre>
            </body></html>
            """);
        File.WriteAllText(Path.Combine(Root, "notes.txt"), "Plain notes about the kangaroo offsite.\nSecond line.\n");
        DocxFixture.Write(Path.Combine(Root, "handbook.docx"));

        var paragraphs = Enumerable.Range(0, 600).Select(i => $"Paragraph {i} of the long archive document talks about the lighthouse budget and ü-umlauts, emoji 🙂 too.");
        LongDocument = "# Long archive\n\n" + string.Join("\n\n", paragraphs) + "\n";
        File.WriteAllText(Path.Combine(Root, "long.md"), LongDocument);

        File.WriteAllText(Path.Combine(Root, "emoji.md"), "ab🙂cd");

        var old = Path.Combine(Root, "old.md");
        File.WriteAllText(old, "# Old memo\n\nThe archived pelican memo.\n");
        File.SetLastWriteTimeUtc(old, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        File.WriteAllText(Path.Combine(Root, "new-pelican.md"), "# New memo\n\nThe current pelican memo.\n");

        File.WriteAllText(Path.Combine(Root, "big.md"), "# Big\n\nbigfileword " + new string('x', (int)MaxFileBytes));

        var deep = Path.Combine(Root, new string('d', 200));
        Directory.CreateDirectory(deep);
        File.WriteAllText(Path.Combine(deep, new string('f', 200) + ".md"), "# Deep\n\ndeeppathword\n");

        File.WriteAllText(Path.Combine(Outside, "secret.md"), "# Secret\n\noutsideonlyword\n");
        File.CreateSymbolicLink(Path.Combine(Root, "link.md"), Path.Combine(Outside, "secret.md"));
        Directory.CreateSymbolicLink(Path.Combine(Root, "linked-folder"), Outside);
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_connectors is not null)
        {
            await _connectors.DisposeAsync();
        }
        Directory.Delete(Root, recursive: true);
        Directory.Delete(Outside, recursive: true);
    }
}
