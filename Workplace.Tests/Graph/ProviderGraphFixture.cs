using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Workplace.AppHost.Providers;
using Workplace.Emulators.Faults;
using Workplace.Emulators.Workspace;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Graph;

[CollectionDefinition(Name)]
public sealed class ProviderGraphCollection : ICollectionFixture<ProviderGraphFixture>
{
    public const string Name = "provider-graph";
}

/// <summary>
/// The AppHost's graph signed into by the emulators' OIDC issuer instead of the development key, so tests act as any of
/// the emulated people: Aditi and Renata connect Google Drive, Notion and SharePoint through the real connect flow at
/// start; Priya connects nothing. A graph of its own: the shared one runs on the development key.
/// </summary>
public sealed class ProviderGraphFixture : IAsyncLifetime
{
    public static readonly string[] Providers = ["google_drive", "notion", "sharepoint"];

    private static readonly string[] s_scopes = ["workplace:read:google_drive", "workplace:read:notion", "workplace:read:sharepoint", "workplace:read:files"];
    private static readonly JsonSerializerOptions s_faultJson = new(JsonSerializerDefaults.Web);
    private readonly DirectoryInfo _cacheData = Directory.CreateTempSubdirectory("workplace-provider-graph-");
    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);

    public DistributedApplication App { get; private set; } = null!;

    public Uri McpApiUrl => App.GetEndpoint("mcpapi", "http");

    public Uri EmulatorsUrl => App.GetEndpoint("emulators", "http");

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public async Task InitializeAsync()
    {
        var port = RedisServer.FreeLoopbackPort().ToString(CultureInfo.InvariantCulture);
        App = await AppHostGraph.StartAsync(_cacheData,
            $"{ProviderSourcesExtensions.EmulatorsPortKey}={port}",
            $"Auth:Authority=http://localhost:{port}/oidc",
            // Twenty concurrent searches are one of the tests; mcpapi's own rate limits have tests of their own.
            "Auth:RateLimit:Enabled=false");
        foreach (var user in (EmulatedUser[])[EmulatedUsers.Aditi, EmulatedUsers.Renata])
        {
            foreach (var source in Providers)
            {
                await ConnectAsync(user, source);
            }
        }
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (App is not null)
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
        _cacheData.Delete(recursive: true);
    }

    /// <summary>An access token from the emulators' issuer for <paramref name="user"/>, with every read scope and their email.</summary>
    public async Task<string> TokenAsync(EmulatedUser user)
    {
        if (_tokens.TryGetValue(user.Id, out var cached))
        {
            return cached;
        }
        using var minted = await Http.PostAsJsonAsync(new Uri(EmulatorsUrl, "/admin/oidc/tokens"),
            new { subject = user.Id, audience = new Uri(McpApiUrl, "/mcp").ToString(), scopes = s_scopes, email = user.Email });
        minted.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await minted.Content.ReadAsStringAsync());
        return _tokens[user.Id] = body.RootElement.GetProperty("access_token").GetString()!;
    }

    public async Task<McpClient> ClientAsync(EmulatedUser user, string protocolVersion = "2026-07-28", Func<ElicitRequestParams?, CancellationToken, ValueTask<ElicitResult>>? elicitation = null, bool urlElicitation = false)
    {
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(user));
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = new Uri(McpApiUrl, "/mcp"), TransportMode = HttpTransportMode.StreamableHttp },
            http, loggerFactory: null, ownsHttpClient: true);
        return await McpClient.CreateAsync(transport, new McpClientOptions
        {
            ClientInfo = new Implementation { Name = "workplace-graph-tests", Version = "1.0" },
            ProtocolVersion = protocolVersion,
            Capabilities = urlElicitation ? new ClientCapabilities { Elicitation = new ElicitationCapability { Url = new UrlElicitationCapability() } } : null,
            Handlers = new McpClientHandlers { ElicitationHandler = elicitation },
        });
    }

    /// <summary>The connect URL list_sources gives <paramref name="user"/> for <paramref name="source"/>; null when connected.</summary>
    public async Task<string?> ConnectUrlAsync(EmulatedUser user, string source)
    {
        var entry = await ListedAsync(user, source);
        return entry.GetProperty("connected").GetBoolean() ? null : entry.GetProperty("connect_url").GetString();
    }

    /// <summary>What list_sources says of <paramref name="source"/> to <paramref name="user"/>.</summary>
    public async Task<JsonElement> ListedAsync(EmulatedUser user, string source)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(McpApiUrl, "/mcp/tools/list_sources/call")) { Content = JsonContent.Create(new { }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(user));
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("structuredContent").GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("source").GetString() == source).Clone();
    }

    /// <summary>What a person does with a connect link: opens it in a browser (cookies kept, redirects followed) and consents.</summary>
    public static async Task OpenInBrowserAsync(string connectUrl)
    {
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true }) { Timeout = TimeSpan.FromSeconds(60) };
        using var page = await browser.GetAsync(connectUrl);
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK && html.Contains("is connected", StringComparison.Ordinal),
            $"The connect flow ended at {page.RequestMessage?.RequestUri?.GetLeftPart(UriPartial.Path)} with {(int)page.StatusCode}: {html}");
    }

    public async Task ConnectAsync(EmulatedUser user, string source)
    {
        var url = await ConnectUrlAsync(user, source) ?? throw new InvalidOperationException($"{user.Id} is already connected to {source}.");
        await OpenInBrowserAsync(url);
    }

    public async Task FaultAsync(string provider, Fault fault)
    {
        using var response = await Http.PostAsJsonAsync(new Uri(EmulatorsUrl, $"/admin/faults/{provider}"), fault, s_faultJson);
        response.EnsureSuccessStatusCode();
    }

    public async Task ClearFaultsAsync(string provider)
    {
        using var response = await Http.DeleteAsync(new Uri(EmulatorsUrl, $"/admin/faults/{provider}"));
        response.EnsureSuccessStatusCode();
    }
}
