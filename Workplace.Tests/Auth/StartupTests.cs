using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Workplace.AppHost.Auth;
using Workplace.McpApi.Auth;
using Workplace.Emulators.Oidc;

namespace Workplace.Tests.Auth;

/// <summary>Issuer modes (Descope, development key) and the configurations mcpapi refuses to start with.</summary>
public sealed class StartupTests
{
    private static readonly string[] s_sources = ["files", "google_drive", "notion", "sharepoint"];

    [Fact]
    public async Task Descope_ProjectAndMcpServerIds_AreAllItTakes()
    {
        await using var descope = await OidcIssuer.StartAsync(McpApiHost.Resource, "/v1/apps/agentic/P2test/MS42");
        await using var api = new McpApiHost(McpApiHost.DescopeSettings(descope.Origin));
        using var client = api.Client();

        var accepted = await client.GetWithTokenAsync("/_probe", descope.Mint(new TokenSpec { Scopes = ["workplace:read:notion"] }));
        var metadata = await (await client.GetWithTokenAsync("/.well-known/oauth-protected-resource/mcp", null)).JsonAsync();

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(1, descope.DiscoveryRequests);
        Assert.Equal([descope.Origin + "/v1/apps/agentic/P2test/MS42"], metadata["authorization_servers"]!.AsArray().Select(n => (string)n!));
    }

    [Fact]
    public async Task DevKey_OnLoopbackInDevelopment_AcceptsTheAppHostsToken_WithEverySource()
    {
        using var dev = new DevAuthority();
        var environment = dev.McpApiEnvironment(new Uri("http://127.0.0.1:5087"));
        var token = dev.MintToken(new Uri("http://127.0.0.1:5087/"));
        await using var api = new McpApiHost(DevSettings(environment));
        using var client = api.Client();

        var response = await client.GetWithTokenAsync("/_probe", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(s_sources, (await response.JsonAsync())["sources"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("http://127.0.0.1:5087/mcp", environment["Auth__Resource"]);
        Assert.InRange(new JsonWebToken(token).ValidTo - DateTime.UtcNow, TimeSpan.FromHours(7.9), TimeSpan.FromHours(8));
    }

    [Fact]
    public async Task DevKey_IsIgnored_WhenARealIssuerIsConfigured()
    {
        await using var issuer = await OidcIssuer.StartAsync(McpApiHost.Resource);
        using var dev = new DevAuthority();
        var settings = McpApiHost.AuthoritySettings(issuer.Issuer);
        settings["Auth:DevSigningKey"] = dev.PublicKeyPem;
        await using var api = new McpApiHost(settings);
        using var client = api.Client();

        var devToken = await client.GetWithTokenAsync("/_probe", dev.CreateToken(McpApiHost.Resource, "dev-user", DevAuthority.ReadScopes, TimeSpan.FromMinutes(5)));

        Assert.Equal(HttpStatusCode.Unauthorized, devToken.StatusCode);
        Assert.Contains("error=\"invalid_token\"", devToken.WwwAuthenticate(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestAuth_GivesOtherTestsAnAuthenticatedMcpApi()
    {
        using var auth = new TestAuth();
        await using var api = new McpApiHost(auth.Settings());
        api.Client().Dispose();
        using var client = auth.CreateClient(api.BaseAddress, scopes: ["workplace:read:files"]);

        var tools = await client.GetAsync("/mcp/tools");
        var probe = await (await client.GetAsync("/_probe")).JsonAsync();

        Assert.Equal(HttpStatusCode.OK, tools.StatusCode);
        Assert.Equal(["files"], probe["sources"]!.AsArray().Select(n => (string)n!));
    }

    [Fact]
    public void DevKey_OutsideDevelopment_RefusesToStart()
    {
        using var dev = new DevAuthority();
        using var api = new McpApiHost(DevSettings(dev.McpApiEnvironment(new Uri("http://127.0.0.1:5087"))), environment: "Production");

        var error = Assert.ThrowsAny<Exception>(() => api.Client());

        Assert.Contains("Auth:DevSigningKey is set but the environment is 'Production'. The development key works only with ASPNETCORE_ENVIRONMENT=Development", Refusal(api, error), StringComparison.Ordinal);
    }

    [Fact]
    public void DevKey_WithANonLoopbackListenAddressConfigured_RefusesToStart()
    {
        using var dev = new DevAuthority();
        var settings = DevSettings(dev.McpApiEnvironment(new Uri("http://127.0.0.1:5087")));
        settings["urls"] = "http://127.0.0.1:0;http://0.0.0.0:0";
        using var api = new McpApiHost(settings);

        var error = Assert.ThrowsAny<Exception>(() => api.Client());

        Assert.Contains("Auth:DevSigningKey is set but the server is configured to listen on 'http://0.0.0.0:0', which is not loopback.", Refusal(api, error), StringComparison.Ordinal);
    }

    [Fact]
    public void DevKey_WhenKestrelListensBeyondLoopback_RefusesToStart()
    {
        using var dev = new DevAuthority();
        using var api = new McpApiHost(DevSettings(dev.McpApiEnvironment(new Uri("http://127.0.0.1:5087"))),
            kestrel: options => options.Listen(IPAddress.Any, 0));

        var error = Assert.ThrowsAny<Exception>(() => api.Client());

        Assert.Contains("which is not loopback. The development key may only serve http://127.0.0.1 or http://localhost", Refusal(api, error), StringComparison.Ordinal);
    }

    [Fact]
    public void DevAuthority_RefusesANonLoopbackServerUrl()
    {
        using var dev = new DevAuthority();

        var error = Assert.Throws<ArgumentException>(() => dev.McpApiEnvironment(new Uri("http://10.1.2.3:5087")));

        Assert.StartsWith("The development key serves loopback addresses only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DevAuthority_IsNotNeeded_WhenARealIssuerIsConfigured()
    {
        static IConfiguration Settings(string key, string value) =>
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["PATH"] = "/usr/bin", [key] = value }).Build();

        Assert.True(DevAuthority.IsNeeded(Settings("Auth:Authority", "")));
        Assert.False(DevAuthority.IsNeeded(Settings("Auth:Authority", "https://issuer.example")));
        Assert.False(DevAuthority.IsNeeded(Settings("AUTH:AUTHORITY", "https://issuer.example")));
        Assert.False(DevAuthority.IsNeeded(Settings("DESCOPE_PROJECT_ID", "P2abc")));
    }

    [Fact]
    public void DevAuthority_MintsEveryScopeMcpApiMapsToASource() =>
        Assert.Equal(AuthSettings.ReadScopes, DevAuthority.ReadScopes);

    [Theory]
    [InlineData("Development", null, null, "No token issuer is configured. Set DESCOPE_PROJECT_ID (Descope), or Auth__Authority (any OIDC issuer)")]
    [InlineData("Development", "https://issuer.example", null, "Auth:Resource is not set: tokens are checked against this server's canonical URI")]
    [InlineData("Production", "http://127.0.0.1:9/issuer", "https://workplace.test", "Auth:Authority 'http://127.0.0.1:9/issuer' uses http; use https")]
    [InlineData("Development", "http://issuer.example", "https://workplace.test", "Auth:Authority 'http://issuer.example' uses http; use https")]
    [InlineData("Production", "https://issuer.example", "http://workplace.test", "Auth:Resource 'http://workplace.test' uses http; use https")]
    public void InvalidConfiguration_RefusesToStart_SayingWhatToSet(string environment, string? authority, string? resource, string message)
    {
        using var api = new McpApiHost(new Dictionary<string, string?> { ["Auth:Authority"] = authority, ["Auth:Resource"] = resource }, environment);

        var error = Assert.ThrowsAny<Exception>(() => api.Client());

        Assert.Contains(message, Refusal(api, error), StringComparison.Ordinal);
    }

    [Fact]
    public void DescopeAndAuthorityTogether_RefuseToStart()
    {
        using var api = new McpApiHost(new Dictionary<string, string?>
        {
            ["DESCOPE_PROJECT_ID"] = "P2abc",
            ["Auth:Authority"] = "https://issuer.example",
            ["Auth:Resource"] = "https://workplace.test",
        });

        var error = Assert.ThrowsAny<Exception>(() => api.Client());

        Assert.Contains("Both DESCOPE_PROJECT_ID and Auth:Authority are set. Set one", Refusal(api, error), StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> DevSettings(IReadOnlyDictionary<string, string> environment) =>
        environment.ToDictionary(e => e.Key.Replace("__", ":", StringComparison.Ordinal), e => (string?)e.Value);

    // WebApplicationFactory sometimes surfaces an ObjectDisposedException of its own instead of the start-up failure;
    // the host logs the real one ("Hosting failed to start") either way.
    private static string Refusal(McpApiHost api, Exception error) => Messages(error) + " | " + string.Join(" | ", api.Logs.Lines);

    private static string Messages(Exception error)
    {
        var all = new List<string>();
        for (var e = error; e is not null; e = e.InnerException)
        {
            all.Add(e.Message);
            if (e is AggregateException aggregate)
            {
                all.AddRange(aggregate.InnerExceptions.Select(Messages));
            }
        }
        return string.Join(" | ", all);
    }
}
