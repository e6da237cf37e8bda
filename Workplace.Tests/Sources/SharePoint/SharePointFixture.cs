using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Workplace.Emulators.Graph;
using Workplace.ServiceDefaults.ConnectorApi;
using Workplace.Tests.Emulators;
using Workplace.Tests.Infrastructure;
using Workplace.Tests.Sources.Providers;

namespace Workplace.Tests.Sources.SharePoint;

/// <summary>
/// The real Graph emulator and the real Connectors app configured for it, with a grant for each emulated user (from the
/// emulator's admin endpoint) in the app's own GrantVault. The emulator records whether each download carried a token.
/// </summary>
public class SharePointFixture : IAsyncLifetime
{
    /// <summary>Small enough that the largest samples (the handbook, the architecture document) are over it.</summary>
    public const long MaxDownloadBytes = 20_000;

    /// <summary>Small, so a search of ten results takes three requests to Graph.</summary>
    public const int SearchPageSize = 4;

    public string Key { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    public string Root { get; } = Directory.CreateTempSubdirectory("sharepoint-root-").FullName;

    /// <summary>Every request to the download host: its path and whether it carried an Authorization header.</summary>
    public ConcurrentQueue<(string Path, bool Authorized)> Downloads { get; } = new();

    public EmulatorsHost Emulators { get; private set; } = null!;
    public ConnectorsApp Connectors { get; private set; } = null!;
    public GraphWorkspace Workspace => Emulators.Services.GetRequiredService<GraphWorkspace>();

    public async Task InitializeAsync()
    {
        Emulators = new EmulatorsHost { ConfigureServices = services => services.AddSingleton<IStartupFilter>(new RecordDownloads(Downloads)) };
        Connectors = ConnectorsApp.Start(Root, Key,
        [
            ("Sources:SharePoint:BaseUrl", new Uri(Emulators.BaseAddress, "/graph/v1.0/").ToString()),
            ("Sources:SharePoint:Emulated", "true"),
            ("Sources:SharePoint:OAuth:ClientId", "workplace"),
            // A refused token is refreshed at the emulator's identity platform, not Microsoft's.
            ("Sources:SharePoint:OAuth:TokenUrl", new Uri(Emulators.BaseAddress, "/graph/organizations/oauth2/v2.0/token").ToString()),
            ("Sources:SharePoint:SearchPageSize", SearchPageSize.ToString(CultureInfo.InvariantCulture)),
            ("Sources:SharePoint:MaxDownloadBytes", MaxDownloadBytes.ToString(CultureInfo.InvariantCulture)),
            // The provider's retries, without their backoff.
            ("HttpResilience:Clients:sharepoint-graph:Retry:Delay", "00:00:00.010"),
            ("HttpResilience:Clients:sharepoint-graph:Retry:UseJitter", "false"),
            ("HttpResilience:Clients:sharepoint-download:Retry:Delay", "00:00:00.010"),
            // The tests inject Graph failures on purpose, more in a burst than any real minute would hold: the breakers
            // (another concern, with their own tests) must not open on them and fail the tests after; nor may the
            // budget, 10 requests a second, refuse a burst of tests.
            ("HttpResilience:Clients:sharepoint-graph:CircuitBreaker:MinimumThroughput", "1000"),
            ("HttpResilience:Clients:sharepoint-download:CircuitBreaker:MinimumThroughput", "1000"),
            ("Sources:SharePoint:Budget:RequestsPerSecond", "1000"),
            ("Sources:SharePoint:Budget:Burst", "1000"),
            .. MoreSettings,
        ]);
        foreach (var user in new[] { "aditi", "renata", "priya" })
        {
            await ConnectAsync(user);
        }
    }

    /// <summary>Settings a fixture adds to (or overrides in) the Connectors app's.</summary>
    protected virtual IEnumerable<(string Key, string? Value)> MoreSettings => [];

    /// <summary>Stores a fresh grant of <paramref name="user"/> from the emulator's identity platform, as the connect flow would.</summary>
    public Task ConnectAsync(string user) =>
        ProviderGrants.ConnectAsync(Emulators.BaseAddress, "graph", Connectors, user, user, "sharepoint");

    /// <summary>The Connectors app's internal API as <paramref name="user"/>, granted the sharepoint source.</summary>
    public HttpClient ClientFor(string user)
    {
        var client = new HttpClient { BaseAddress = Connectors.BaseAddress };
        var assertion = new InternalAssertion(Key).Create(new InternalPrincipal(user, new HashSet<string> { "sharepoint" }));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", assertion);
        return client;
    }

    public async Task<JsonElement> SearchAsync(string user, string query, int maxResults = 10, bool includeContent = false, DateTimeOffset? modifiedAfter = null)
    {
        using var response = await SearchResponseAsync(user, query, maxResults, includeContent, modifiedAfter);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results");
    }

    public async Task<HttpResponseMessage> SearchResponseAsync(string user, string query, int maxResults = 10, bool includeContent = false, DateTimeOffset? modifiedAfter = null)
    {
        using var client = ClientFor(user);
        return await client.PostAsJsonAsync(ConnectorRoutes.Search("sharepoint"), new Dictionary<string, object?>
        {
            ["query"] = query,
            ["max_results"] = maxResults,
            ["include_content"] = includeContent,
            ["modified_after"] = modifiedAfter,
        });
    }

    public async Task<HttpResponseMessage> FetchAsync(string user, string id, int? offset = null, int? maxChars = null)
    {
        using var client = ClientFor(user);
        return await client.GetAsync($"{ConnectorRoutes.Documents}?id={Uri.EscapeDataString(id)}"
            + (offset is null ? "" : $"&offset={offset}") + (maxChars is null ? "" : $"&max_chars={maxChars}"));
    }

    /// <summary>The document id the source issues for the emulator's item named <paramref name="name"/>.</summary>
    public string IdOf(string name)
    {
        var item = Workspace.Items.Single(i => i.Name == name);
        return $"sharepoint:{item.Drive.Id}~{item.Id}";
    }

    public async Task DisposeAsync()
    {
        await Connectors.DisposeAsync();
        await Emulators.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }

    private sealed class RecordDownloads(ConcurrentQueue<(string, bool)> downloads) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, proceed) =>
            {
                if (context.Request.Path.StartsWithSegments("/graph/_layouts", StringComparison.OrdinalIgnoreCase))
                {
                    downloads.Enqueue((context.Request.Path, context.Request.Headers.Authorization.Count > 0));
                }
                return proceed();
            });
            next(app);
        };
    }
}
