using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Workplace.Emulators.Google;
using Workplace.Emulators.Notion;
using Workplace.ServiceDefaults.ConnectorApi;
using Workplace.Tests.Infrastructure;
using Workplace.Tests.ServiceDefaults;

namespace Workplace.Tests.Sources.Providers;

/// <summary>
/// One provider source as the Connectors app registers it, resilience included, against the counted emulators, with
/// Aditi connected. The app's time is a <see cref="WatchedTimeProvider"/> from now: retries, waits for a turn of the
/// budget and breaks of the circuit take it from DI, so a test moves time instead of waiting for it.
/// </summary>
public sealed class WiredSource : IAsyncDisposable
{
    public const string User = "aditi";

    private readonly string _root = Directory.CreateTempSubdirectory("wired-source-").FullName;
    private readonly string _key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private ConnectorsApp _connectors = null!;

    private WiredSource(Provider provider, CountedEmulators emulators)
    {
        Source = provider;
        Emulators = emulators;
        Time.SetUtcNow(DateTimeOffset.UtcNow);
    }

    public Provider Source { get; }

    public CountedEmulators Emulators { get; }

    public WatchedTimeProvider Time { get; } = new();

    /// <summary>Requests that reached the provider's API (not its token endpoint, not the emulator's admin).</summary>
    public int ProviderRequests => Emulators.Requests(Source.ApiPrefix);

    /// <summary>
    /// Starts <paramref name="provider"/>'s source with its resilience as shipped, except <paramref name="settings"/>
    /// (e.g. <c>HttpResilience:Clients:{client}:…</c>, <c>Sources:{Name}:Budget:…</c>).
    /// </summary>
    public static async Task<WiredSource> StartAsync(Provider provider, params (string Key, string? Value)[] settings)
    {
        var wired = new WiredSource(provider, await CountedEmulators.StartAsync());
        var emulators = wired.Emulators.BaseAddress;
        wired._connectors = ConnectorsApp.Start(wired._root, wired._key, services => services.AddSingleton<TimeProvider>(wired.Time),
            [
                ("Logging:LogLevel:Default", "Warning"),
                ($"Sources:{provider.Name}:BaseUrl", new Uri(emulators, provider.BasePath).ToString()),
                ($"Sources:{provider.Name}:Emulated", "true"),
                ($"Sources:{provider.Name}:OAuth:ClientId", provider.ClientId),
                ($"Sources:{provider.Name}:OAuth:ClientSecret", provider.ClientSecret),
                ($"Sources:{provider.Name}:OAuth:TokenUrl", new Uri(emulators, provider.TokenPath).ToString()),
                .. settings,
            ]);
        await ProviderGrants.ConnectAsync(emulators, provider.Emulator, wired._connectors, User, User, provider.Id);
        return wired;
    }

    /// <summary>A search of the internal API as Aditi, as mcpapi sends it.</summary>
    public async Task<HttpResponseMessage> SearchAsync(string query, int maxResults = 5)
    {
        using var client = Client();
        return await client.PostAsJsonAsync(ConnectorRoutes.Search(Source.Id), new Dictionary<string, object?>
        {
            ["query"] = query,
            ["max_results"] = maxResults,
            ["include_content"] = false,
        });
    }

    /// <summary>The source as list_sources shows it.</summary>
    public async Task<SourceDescriptor> DescriptorAsync()
    {
        using var client = Client();
        var list = await client.GetFromJsonAsync(ConnectorRoutes.Sources, ConnectorJsonContext.Default.SourceList);
        return Assert.Single(list!.Sources, s => s.Id == Source.Id);
    }

    /// <summary>Ids of a search's results, asserting it succeeded.</summary>
    public static async Task<string[]> IdsAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        return [.. json.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()!)];
    }

    // A new assertion on every call, on the app's clock: a test may have moved it past an older one's lifetime.
    private HttpClient Client()
    {
        var client = new HttpClient { BaseAddress = _connectors.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            new InternalAssertion(_key, Time).Create(new InternalPrincipal(User, new HashSet<string> { Source.Id, "files" })));
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _connectors.DisposeAsync();
        await Emulators.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>A provider source: its id, configuration name, HttpClient, and where the emulator serves it.</summary>
    public sealed record Provider(string Id, string Name, string Client, string Emulator, string BasePath, string ApiPrefix, string TokenPath, string ClientId, string? ClientSecret)
    {
        public static readonly Provider GoogleDrive = new("google_drive", "GoogleDrive", "GoogleDrive", "google", "/google/", "/google/drive/v3/", "/google/token",
            new GoogleEmulatorOptions().ClientId, new GoogleEmulatorOptions().ClientSecret);

        public static readonly Provider Notion = new("notion", "Notion", "Notion", "notion", "/notion/", "/notion/v1/", "/notion/v1/oauth/token",
            new NotionEmulatorOptions().ClientId, new NotionEmulatorOptions().ClientSecret);

        public static readonly Provider SharePoint = new("sharepoint", "SharePoint", "sharepoint-graph", "graph", "/graph/v1.0/", "/graph/v1.0/", "/graph/organizations/oauth2/v2.0/token",
            "workplace", null);

        /// <summary>A setting of this source's client under <c>HttpResilience:Clients</c>.</summary>
        public (string Key, string? Value) Resilience(string key, string value) => ($"HttpResilience:Clients:{Client}:{key}", value);

        /// <summary>A budget far above what a test sends, so no call waits for its turn.</summary>
        public (string Key, string? Value)[] Unlimited =>
            [($"Sources:{Name}:Budget:RequestsPerSecond", "1000"), ($"Sources:{Name}:Budget:Burst", "1000")];

        public override string ToString() => Id;
    }

    /// <summary>Seconds as a setting.</summary>
    public static string Seconds(double seconds) => TimeSpan.FromSeconds(seconds).ToString("c", CultureInfo.InvariantCulture);
}
