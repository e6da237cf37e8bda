using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Workplace.Emulators.Google;
using Workplace.Emulators.Google.Workspace;
using Workplace.Emulators.Graph;
using Workplace.Emulators.Notion;
using Workplace.ServiceDefaults.ConnectorApi;
using Workplace.Tests.Emulators;
using Workplace.Tests.Infrastructure;
using Workplace.Tests.Sources.Providers;

namespace Workplace.Tests.Sources.Caching;

/// <summary>One sample document of a provider: its id at connectors, the id the emulator's edit endpoint takes, and who may read it.</summary>
public sealed record ProviderDocument(string Provider, string Source, string Id, string NativeId, string Reader)
{
    public override string ToString() => $"{Source}:{Reader}";
}

/// <summary>
/// A real redis-server, the real emulators and a Connectors app with Google Drive, Notion and SharePoint on them and on
/// that Redis (so the document cache has both levels), budgets high; Aditi, Renata and Priya connected to every provider.
/// </summary>
public sealed class DocumentCacheGraph : IAsyncLifetime
{
    public static readonly string[] Users = ["aditi", "renata", "priya"];

    private readonly string _root = Directory.CreateTempSubdirectory("document-cache-files-").FullName;

    public string Key { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public RedisServer Redis { get; private set; } = null!;

    public EmulatorsHost Emulators { get; } = new();

    public ConnectorsApp Connectors { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        Connectors = await StartConnectorsAsync(connect: true, ("ConnectionStrings:cache", Redis.ConnectionString));
    }

    /// <summary>
    /// A Connectors app on the fixture's emulators, every user connected when <paramref name="connect"/> (a replica on the
    /// fixture's Redis finds their grants there); <paramref name="settings"/> add to or override the fixture's.
    /// </summary>
    public async Task<ConnectorsApp> StartConnectorsAsync(bool connect, params (string Key, string? Value)[] settings)
    {
        var emulators = Emulators.BaseAddress;
        var app = ConnectorsApp.Start(_root, Key, [
            ("Logging:LogLevel:Default", "Warning"),
            ("Sources:GoogleDrive:BaseUrl", new Uri(emulators, "/google/").ToString()),
            ("Sources:GoogleDrive:Emulated", "true"),
            ("Sources:GoogleDrive:OAuth:ClientId", new GoogleEmulatorOptions().ClientId),
            ("Sources:GoogleDrive:OAuth:ClientSecret", new GoogleEmulatorOptions().ClientSecret),
            ("Sources:GoogleDrive:OAuth:TokenUrl", new Uri(emulators, "/google/token").ToString()),
            ("Sources:Notion:BaseUrl", new Uri(emulators, "notion/").ToString()),
            ("Sources:Notion:Emulated", "true"),
            ("Sources:Notion:OAuth:ClientId", "workplace-notion-client"),
            ("Sources:Notion:OAuth:ClientSecret", new NotionEmulatorOptions().ClientSecret),
            ("Sources:Notion:OAuth:TokenUrl", new Uri(emulators, "notion/v1/oauth/token").ToString()),
            ("Sources:Notion:Budget:RequestsPerSecond", "1000"),
            ("Sources:Notion:Budget:Burst", "1000"),
            ("Sources:SharePoint:BaseUrl", new Uri(emulators, "/graph/v1.0/").ToString()),
            ("Sources:SharePoint:Emulated", "true"),
            ("Sources:SharePoint:OAuth:ClientId", "workplace"),
            ("Sources:SharePoint:OAuth:TokenUrl", new Uri(emulators, "/graph/organizations/oauth2/v2.0/token").ToString()),
            ("Sources:SharePoint:Budget:RequestsPerSecond", "1000"),
            ("Sources:SharePoint:Budget:Burst", "1000"),
            .. settings]);
        foreach (var user in connect ? Users : [])
        {
            await ProviderGrants.ConnectAsync(emulators, "google", app, user, user, "google_drive");
            await ProviderGrants.ConnectAsync(emulators, "notion", app, user, user, "notion");
            await ProviderGrants.ConnectAsync(emulators, "graph", app, user, user, "sharepoint");
        }
        return app;
    }

    /// <summary>A Drive file by its name in the sample Drive, read by <paramref name="reader"/>.</summary>
    public static ProviderDocument Drive(string name, string reader)
    {
        var file = DriveWorkspace.Sample.Files.Single(f => f.Name == name);
        return new("google", "google_drive", $"google_drive:{file.Id}", file.Id, reader);
    }

    /// <summary>A Notion page by its slug in the sample workspace, read by <paramref name="reader"/>.</summary>
    public static ProviderDocument Notion(string slug, string reader)
    {
        var id = NotionWorkspace.IdFor("page:" + slug).ToString("D");
        return new("notion", "notion", $"notion:{id}", id, reader);
    }

    /// <summary>A OneDrive or SharePoint file by its name in the sample tenant, read by <paramref name="reader"/>.</summary>
    public ProviderDocument Graph(string name, string reader)
    {
        var item = Emulators.Services.GetRequiredService<GraphWorkspace>().Items.Single(i => i.Name == name);
        return new("graph", "sharepoint", $"sharepoint:{item.Drive.Id}~{item.Id}", item.Id, reader);
    }

    /// <summary>Connectors' internal API as <paramref name="user"/>, with every source granted.</summary>
    public HttpClient ClientFor(string user, ConnectorsApp? app = null)
    {
        var client = new HttpClient { BaseAddress = (app ?? Connectors).BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            new InternalAssertion(Key).Create(new InternalPrincipal(user, new HashSet<string> { "google_drive", "notion", "sharepoint" })));
        return client;
    }

    /// <summary>One range of a document as <paramref name="user"/>: the status and the body (a range or a problem).</summary>
    public async Task<(System.Net.HttpStatusCode Status, JsonElement Body)> FetchAsync(string user, string id, int offset = 0, int maxChars = 100_000, ConnectorsApp? app = null)
    {
        using var client = ClientFor(user, app);
        using var response = await client.GetAsync($"{ConnectorRoutes.Documents}?id={Uri.EscapeDataString(id)}&offset={offset}&max_chars={maxChars}");
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    /// <summary>How often the emulator of <paramref name="provider"/> was asked for a document's content (export, blocks, download).</summary>
    public async Task<long> ContentReadsAsync(string provider)
    {
        using var admin = new HttpClient { BaseAddress = Emulators.BaseAddress };
        using var stats = JsonDocument.Parse(await admin.GetStringAsync($"/admin/{provider}/stats"));
        return stats.RootElement.GetProperty("contentReads").GetInt64();
    }

    /// <summary>Edits a document at the emulator, as its owner would in the provider's editor; returns the new version.</summary>
    public async Task<string> EditAsync(ProviderDocument document, string text)
    {
        using var admin = new HttpClient { BaseAddress = Emulators.BaseAddress };
        using var response = await admin.PostAsJsonAsync($"/admin/{document.Provider}/documents/{Uri.EscapeDataString(document.NativeId)}", new { text });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("version").GetString()!;
    }

    public async Task DisposeAsync()
    {
        await Connectors.DisposeAsync();
        await Emulators.DisposeAsync();
        await Redis.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }
}
