using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using Workplace.AppHost.Providers;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Graph;

// The graph signed into by the emulators' OIDC issuer instead of the development key: how a whole-graph test runs as any
// user it likes. A graph of its own, since the shared one uses the development key.
public sealed class OidcIssuerGraphTests
{
    [Fact]
    public async Task TheGraph_TrustsTheEmulatorsIssuer_WhenAuthAuthorityNamesIt()
    {
        var port = RedisServer.FreeLoopbackPort();
        var cacheData = Directory.CreateTempSubdirectory("workplace-oidc-graph-");
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Workplace_AppHost>(
            [
                "WORKPLACE_MCPAPI_PORT=0",
                $"WORKPLACE_CACHE_DATA={cacheData.FullName}",
                $"{ProviderSourcesExtensions.EmulatorsPortKey}={port.ToString(CultureInfo.InvariantCulture)}",
                $"Auth:Authority=http://localhost:{port.ToString(CultureInfo.InvariantCulture)}/oidc",
            ],
            (options, settings) =>
            {
                options.DisableDashboard = true;
                settings.EnvironmentName = "Development";
            });
        await using var app = await builder.BuildAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await app.StartAsync(timeout.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("mcpapi", timeout.Token);
            var mcp = new Uri(app.GetEndpoint("mcpapi", "http"), "/mcp/tools/list_sources/call");
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

            using var minted = await http.PostAsJsonAsync(new Uri(app.GetEndpoint("emulators", "http"), "/admin/oidc/tokens"), new
            {
                subject = "renata",
                audience = new Uri(app.GetEndpoint("mcpapi", "http"), "/mcp").ToString(),
                scopes = new[] { "workplace:read:files", "workplace:read:notion" },
                email = "renata.vashti@halcyon-robotics.example",
            }, timeout.Token);
            using var token = JsonDocument.Parse(await minted.Content.ReadAsStringAsync(timeout.Token));
            using var signedIn = new HttpRequestMessage(HttpMethod.Post, mcp) { Content = JsonContent.Create(new { }) };
            signedIn.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.RootElement.GetProperty("access_token").GetString());
            using var anonymous = new HttpRequestMessage(HttpMethod.Post, mcp) { Content = JsonContent.Create(new { }) };

            using var answered = await http.SendAsync(signedIn, timeout.Token);
            using var refused = await http.SendAsync(anonymous, timeout.Token);

            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
            using var body = JsonDocument.Parse(await answered.Content.ReadAsStringAsync(timeout.Token));
            var granted = body.RootElement.GetProperty("structuredContent").GetProperty("sources").EnumerateArray()
                .Where(s => s.GetProperty("granted").GetBoolean()).Select(s => s.GetProperty("source").GetString()).Order(StringComparer.Ordinal);
            Assert.Equal(["files", "notion"], granted);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        finally
        {
            await app.StopAsync();
            cacheData.Delete(recursive: true);
        }
    }
}
