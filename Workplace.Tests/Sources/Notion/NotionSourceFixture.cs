using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Workplace.Connectors.Credentials;
using Workplace.Connectors.Sources;
using Workplace.Emulators.Notion;
using Workplace.ServiceDefaults.ConnectorApi;
using Workplace.Tests.Emulators;
using Workplace.Tests.Infrastructure;
using Workplace.Tests.Sources.Providers;

namespace Workplace.Tests.Sources.Notion;

/// <summary>
/// The real Notion emulator and the real Connectors app configured for it, with Aditi, Renata and Priya connected:
/// each has a grant the emulator issued, stored in the app's GrantVault under their user id.
/// </summary>
public sealed class NotionSourceFixture : IAsyncLifetime
{
    /// <summary>
    /// Between the architecture document's 206 blocks (161 at the top: two calls for them) and the handbook's 232, so
    /// the one is read whole and the other is refused.
    /// </summary>
    public const int MaxBlocks = 220;

    /// <summary>Small, so searches take several calls.</summary>
    public const int SearchPageSize = 2;

    public const string ClientId = "workplace-notion-client";

    private readonly string _root = Directory.CreateTempSubdirectory("notion-source-root-").FullName;
    private readonly string _key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private ConnectorsApp? _connectors;

    public EmulatorsHost Emulators { get; } = new();

    /// <summary>The notion source of the fixture's app, to call below the HTTP API.</summary>
    public IDocumentSource Source => _connectors!.Services.GetServices<IDocumentSource>().Single(s => s.Id == "notion");

    public static InternalPrincipal Principal(string user) => new(UserId(user), new HashSet<string> { "notion" }, $"{user}@halcyon-robotics.example");

    public async Task InitializeAsync() => _connectors = await StartConnectorsAsync(
        ("Sources:Notion:MaxBlocks", MaxBlocks.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("Sources:Notion:SearchPageSize", SearchPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>A Connectors app for the emulator with <paramref name="settings"/>, each sample user connected; the caller disposes it.</summary>
    public async Task<ConnectorsApp> StartConnectorsAsync(params (string Key, string? Value)[] settings)
    {
        var app = ConnectorsApp.Start(_root, _key, [
            ("Sources:Notion:BaseUrl", new Uri(Emulators.BaseAddress, "notion/").ToString()),
            ("Sources:Notion:Emulated", "true"),
            ("Sources:Notion:OAuth:ClientId", ClientId),
            ("Sources:Notion:OAuth:ClientSecret", new NotionEmulatorOptions().ClientSecret),
            // A refused token is refreshed at the emulator's token endpoint, not Notion's.
            ("Sources:Notion:OAuth:TokenUrl", new Uri(Emulators.BaseAddress, "notion/v1/oauth/token").ToString()),
            // Failures are injected on purpose here: they must reach the source, not open Notion's circuit for later
            // tests; and the tests call faster than Notion's 3 requests a second (the budget has tests of its own).
            ("HttpResilience:Clients:Notion:CircuitBreaker:MinimumThroughput", "1000000"),
            ("HttpResilience:Clients:Notion:Retry:Delay", "00:00:00.010"),
            ("Sources:Notion:Budget:RequestsPerSecond", "1000"),
            ("Sources:Notion:Budget:Burst", "1000"),
            .. settings]);
        foreach (var user in new[] { "aditi", "renata", "priya" })
        {
            await ConnectAsync(app, user);
        }
        return app;
    }

    /// <summary>Connects <paramref name="user"/> again in the fixture's app, after a test dropped their grant.</summary>
    public Task ReconnectAsync(string user) => ConnectAsync(_connectors!, user);

    /// <summary>Whether the fixture's app holds a grant of <paramref name="user"/>.</summary>
    public async Task<bool> IsConnectedAsync(string user) =>
        await _connectors!.Services.GetRequiredService<GrantVault>().GetAsync(UserId(user), "notion", CancellationToken.None) is not null;

    /// <summary>Stores a new emulator grant for <paramref name="user"/> in <paramref name="app"/>'s vault, as the connect flow would.</summary>
    private Task ConnectAsync(ConnectorsApp app, string user) =>
        ProviderGrants.ConnectAsync(Emulators.BaseAddress, "notion", app, user, UserId(user), "notion");

    public static string UserId(string user) => "user-" + user;

    /// <summary>A client of the internal API (of <paramref name="app"/>, or the fixture's) that asserts <paramref name="user"/> with the notion source granted.</summary>
    public HttpClient ClientFor(string user, ConnectorsApp? app = null)
    {
        var client = new HttpClient { BaseAddress = (app ?? _connectors!).BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer",
            new InternalAssertion(_key).Create(Principal(user)));
        return client;
    }

    /// <summary>The id search returns for a sample page.</summary>
    public static string PageId(string slug) => "notion:" + NotionWorkspace.IdFor("page:" + slug).ToString("D");

    public static string DataSourceId(string slug) => "notion:ds-" + NotionWorkspace.IdFor("data_source:" + slug).ToString("D");

    public async Task DisposeAsync()
    {
        if (_connectors is not null)
        {
            await _connectors.DisposeAsync();
        }
        await Emulators.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }
}

/// <summary>Calls of the internal API as the tests make them.</summary>
public static class NotionApi
{
    public static async Task<(HttpResponseMessage Response, JsonElement Body)> SearchAsync(this HttpClient client, string query, int maxResults = 10, DateTimeOffset? modifiedAfter = null, bool includeContent = false)
    {
        var response = await client.PostAsJsonAsync(ConnectorRoutes.Search("notion"), new Dictionary<string, object?>
        {
            ["query"] = query,
            ["max_results"] = maxResults,
            ["include_content"] = includeContent,
            ["modified_after"] = modifiedAfter,
        });
        return (response, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    public static async Task<(HttpResponseMessage Response, JsonElement Body)> FetchAsync(this HttpClient client, string id, int? offset = null, int? maxChars = null)
    {
        var response = await client.GetAsync($"{ConnectorRoutes.Documents}?id={Uri.EscapeDataString(id)}"
            + (offset is null ? "" : $"&offset={offset}") + (maxChars is null ? "" : $"&max_chars={maxChars}"));
        return (response, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    /// <summary>The whole Markdown of a document, asserting the fetch succeeded.</summary>
    public static async Task<string> MarkdownAsync(this HttpClient client, string id)
    {
        var (response, body) = await client.FetchAsync(id, maxChars: 100_000);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        Assert.False(body.GetProperty("truncated").GetBoolean());
        return body.GetProperty("content").GetString()!;
    }
}
