using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Workplace.Connectors.Credentials;
using Workplace.McpApi.Auth;
using Workplace.McpApi.Connect;
using Workplace.ServiceDefaults.ConnectorApi;
using Workplace.Tests.Emulators;
using Workplace.Tests.Infrastructure;
using Workplace.Tests.Mcp;

namespace Workplace.Tests.Connect;

/// <summary>
/// Real redis-server, the real emulators, the real Connectors app with Google Drive, Notion and SharePoint wired to the
/// emulators' OAuth endpoints, and the real McpApi app wired to connectors and Redis.
/// </summary>
public sealed class ConnectGraph : IAsyncLifetime
{
    public const string GoogleDrive = "google_drive";
    public const string Notion = "notion";
    public const string SharePoint = "sharepoint";

    public static readonly (string Id, string Email) Aditi = ("aditi", "aditi.raman@halcyon-robotics.example");
    public static readonly (string Id, string Email) Renata = ("renata", "renata.vashti@halcyon-robotics.example");

    private readonly string _root = Directory.CreateTempSubdirectory("connect-files-").FullName;

    public string Key { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public RedisServer Redis { get; private set; } = null!;

    public EmulatorsHost Emulators { get; } = new();

    public ConnectorsApp Connectors { get; private set; } = null!;

    public McpApiFactory McpApi { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        _ = Emulators.BaseAddress;
        Connectors = StartConnectors();
        McpApi = new Wired(Connectors.BaseAddress.ToString().TrimEnd('/'), Key, Redis.ConnectionString);
        _ = McpApi.BaseAddress;
    }

    /// <summary>Another Connectors app on the same Redis: a replica, or the same service after a restart.</summary>
    public ConnectorsApp StartConnectors()
    {
        var emulators = Emulators.BaseAddress.ToString();
        return ConnectorsApp.Start(_root, Key, services =>
            {
                services.AddProviderCredentials(GoogleDrive, "GoogleDrive", "Google Drive");
                services.AddProviderCredentials(Notion, "Notion", "Notion");
                services.AddProviderCredentials(SharePoint, "SharePoint", "SharePoint and OneDrive");
            },
            ("Logging:LogLevel:Default", "Warning"),
            ("ConnectionStrings:cache", Redis.ConnectionString),
            ("Sources:GoogleDrive:BaseUrl", emulators + "google/"),
            ("Sources:GoogleDrive:Emulated", "true"),
            ("Sources:GoogleDrive:OAuth:AuthorizeUrl", emulators + "google/o/oauth2/v2/auth"),
            ("Sources:GoogleDrive:OAuth:TokenUrl", emulators + "google/token"),
            ("Sources:GoogleDrive:OAuth:RevokeUrl", emulators + "google/revoke"),
            ("Sources:GoogleDrive:OAuth:ClientId", "workplace-emulated.apps.googleusercontent.com"),
            ("Sources:GoogleDrive:OAuth:ClientSecret", "emulated-google-client-secret"),
            ("Sources:Notion:BaseUrl", emulators + "notion/"),
            ("Sources:Notion:OAuth:AuthorizeUrl", emulators + "notion/v1/oauth/authorize"),
            ("Sources:Notion:OAuth:TokenUrl", emulators + "notion/v1/oauth/token"),
            ("Sources:Notion:OAuth:ClientId", "workplace-notion-client"),
            ("Sources:Notion:OAuth:ClientSecret", "workplace-notion-secret"),
            ("Sources:SharePoint:BaseUrl", emulators + "graph/v1.0/"),
            ("Sources:SharePoint:OAuth:AuthorizeUrl", emulators + "graph/organizations/oauth2/v2.0/authorize"),
            ("Sources:SharePoint:OAuth:TokenUrl", emulators + "graph/organizations/oauth2/v2.0/token"),
            ("Sources:SharePoint:OAuth:ClientId", "workplace"));
    }

    /// <summary>Stops connectors and starts it again on the same Redis.</summary>
    public async Task RestartConnectorsAsync()
    {
        await Connectors.DisposeAsync();
        Connectors = StartConnectors();
    }

    /// <summary>The user as mcpapi's token validation leaves them (sub, iss, email).</summary>
    public static ClaimsPrincipal User(string subject, string email) =>
        new(new ClaimsIdentity([new Claim("sub", subject), new Claim("iss", "workplace-dev"), new Claim("email", email)], "test"));

    /// <summary>What connectors sees of <paramref name="user"/>: mcpapi's user key, the sources, the email.</summary>
    public InternalPrincipal Principal(ClaimsPrincipal user, params string[] sources) =>
        new(McpApi.Services.GetRequiredService<ISourceAccess>().UserKey(user), sources.ToHashSet(StringComparer.Ordinal), user.FindFirst("email")?.Value);

    /// <summary>mcpapi's connect link for the user, on the address the test server really listens on.</summary>
    public Uri ConnectLink(ClaimsPrincipal user, string source)
    {
        var link = new Uri(McpApi.Services.GetRequiredService<ConnectLinks>().For(user, source));
        return new Uri(McpApi.BaseAddress, link.PathAndQuery);
    }

    /// <summary>A browser: cookies kept, redirects followed unless <paramref name="followRedirects"/> is false.</summary>
    public static HttpClient Browser(bool followRedirects = true) =>
        new(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer(), AllowAutoRedirect = followRedirects });

    /// <summary>A client of connectors' internal API acting as <paramref name="principal"/>.</summary>
    public HttpClient Internal(InternalPrincipal principal, ConnectorsApp? connectors = null)
    {
        var http = new HttpClient { BaseAddress = (connectors ?? Connectors).BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", new InternalAssertion(Key).Create(principal));
        return http;
    }

    public async Task<ConnectionState> ConnectionAsync(InternalPrincipal principal, string source)
    {
        using var http = Internal(principal);
        var list = await http.GetFromJsonAsync(ConnectorRoutes.Connections, ConnectorJsonContext.Default.ConnectionList);
        return Assert.Single(list!.Connections, c => c.Source == source);
    }

    /// <summary>A grant the emulator's admin shortcut issues for <paramref name="user"/>, stored as the connect flow would.</summary>
    public async Task<ProviderGrant> GrantAsync(string provider, string user, DateTimeOffset expiresAt)
    {
        using var admin = new HttpClient { BaseAddress = Emulators.BaseAddress };
        using var response = await admin.PostAsync($"/admin/{provider}/grants", JsonContent.Create(new { user }));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        using var token = JsonDocument.Parse(body);
        return new ProviderGrant(token.RootElement.GetProperty("access_token").GetString()!,
            token.RootElement.GetProperty("refresh_token").GetString(), expiresAt, null);
    }

    /// <summary>How often the emulator's token endpoint refreshed (Google: refreshCalls; Notion: every token request; Graph: refreshes).</summary>
    public async Task<long> RefreshCountAsync(string provider)
    {
        using var admin = new HttpClient { BaseAddress = Emulators.BaseAddress };
        using var stats = JsonDocument.Parse(await admin.GetStringAsync($"/admin/{provider}/stats"));
        var name = provider switch { "google" => "refreshCalls", "notion" => "tokenRequests", _ => "refreshes" };
        return stats.RootElement.GetProperty(name).GetInt64();
    }

    public async Task DisposeAsync()
    {
        await McpApi.DisposeAsync();
        await Connectors.DisposeAsync();
        await Emulators.DisposeAsync();
        await Redis.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private sealed class Wired(string connectorsUrl, string key, string redis) : McpApiFactory
    {
        public override string ConnectorsUrl => connectorsUrl;

        public override string SigningKey => key;

        protected override void ConfigureTestHost(IWebHostBuilder builder) =>
            builder.UseSetting("ConnectionStrings:cache", string.Create(CultureInfo.InvariantCulture, $"{redis}"));
    }
}
