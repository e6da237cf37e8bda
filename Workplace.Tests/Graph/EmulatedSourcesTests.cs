using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Aspire.Hosting.Testing;

namespace Workplace.Tests.Graph;

// The graph as `dotnet run` starts it with no provider configured: Workplace.Emulators stands in for Google Drive, Notion
// and Microsoft Graph, and connectors is pointed at it.
[Collection(GraphCollection.Name)]
public sealed class EmulatedSourcesTests(GraphFixture fixture)
{
    [Fact]
    public async Task ConnectorsIsPointedAtTheRunningEmulators_WithOAuthClientsTheEmulatorsAccept()
    {
        var emulators = fixture.App.GetEndpoint("emulators", "http");
        await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync("emulators").WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(fixture.App.ResourceNotifications.TryGetCurrentState("connectors", out var connectors), "connectors has no state");
        var environment = connectors!.Snapshot.EnvironmentVariables.Where(v => v.Value is not null).ToDictionary(v => v.Name, v => v.Value!, StringComparer.Ordinal);
        string Variable(string name) => environment.TryGetValue(name, out var value) ? value : throw new Xunit.Sdk.XunitException($"connectors runs without {name}");

        Assert.Equal(new Uri(emulators, "google/"), new Uri(Variable("Sources__GoogleDrive__BaseUrl")));
        Assert.Equal(new Uri(emulators, "notion/"), new Uri(Variable("Sources__Notion__BaseUrl")));
        Assert.Equal(new Uri(emulators, "graph/v1.0/"), new Uri(Variable("Sources__SharePoint__BaseUrl")));
        foreach (var name in (string[])["GoogleDrive", "Notion", "SharePoint"])
        {
            Assert.Equal("true", Variable($"Sources__{name}__Emulated"));
        }
        using var http = fixture.CreateHttpClient(authenticated: false);

        // Each API answers its own 401 there: the path is an API, not a 404.
        using var drive = await http.GetAsync(new Uri(Variable("Sources__GoogleDrive__BaseUrl") + "drive/v3/files"));
        using var notion = await http.PostAsync(new Uri(Variable("Sources__Notion__BaseUrl") + "v1/search"), Json("{}"));
        using var graph = await http.GetAsync(new Uri(Variable("Sources__SharePoint__BaseUrl") + "me"));
        Assert.Equal(HttpStatusCode.Unauthorized, drive.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, notion.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, graph.StatusCode);

        // The token endpoints accept connectors' client and refuse only the made-up code.
        using var google = await http.PostAsync(new Uri(Variable("Sources__GoogleDrive__OAuth__TokenUrl")), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = "made-up",
            ["redirect_uri"] = "http://localhost/connect/google_drive/callback",
            ["client_id"] = Variable("Sources__GoogleDrive__OAuth__ClientId"),
            ["client_secret"] = Variable("Sources__GoogleDrive__OAuth__ClientSecret"),
        }));
        Assert.Equal("invalid_grant", await ErrorAsync(google));
        using var notionToken = new HttpRequestMessage(HttpMethod.Post, Variable("Sources__Notion__OAuth__TokenUrl"))
        {
            Content = Json("""{"grant_type":"authorization_code","code":"made-up","redirect_uri":"http://localhost/connect/notion/callback"}"""),
        };
        notionToken.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Variable("Sources__Notion__OAuth__ClientId")}:{Variable("Sources__Notion__OAuth__ClientSecret")}")));
        using var notionAnswer = await http.SendAsync(notionToken);
        Assert.Equal("invalid_grant", await ErrorAsync(notionAnswer));
    }

    [Fact]
    public async Task ListSources_ShowsEveryProviderEmulated_AndTheDevelopmentUserConnected()
    {
        using var http = fixture.CreateHttpClient();

        using var response = await http.PostAsync(new Uri(fixture.McpApiUrl, "/mcp/tools/list_sources/call"), Json("{}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var sources = body.RootElement.GetProperty("structuredContent").GetProperty("sources").EnumerateArray()
            .ToDictionary(s => s.GetProperty("source").GetString()!, s => s.Clone(), StringComparer.Ordinal);
        foreach (var source in (string[])["google_drive", "notion", "sharepoint"])
        {
            Assert.True(sources[source].GetProperty("emulated").GetBoolean(), $"{source} is not listed as emulated: {sources[source]}");
            Assert.True(sources[source].GetProperty("connected").GetBoolean(), $"{source} is not connected: {sources[source]}");
            Assert.Contains(fixture.Connections, c => c.Source == source && c.Connected);
        }
        Assert.False(sources["files"].TryGetProperty("emulated", out var files) && files.GetBoolean(), "files is not a provider");
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<string?> ErrorAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var body = JsonDocument.Parse(text);
        return body.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String ? error.GetString() : text;
    }
}
