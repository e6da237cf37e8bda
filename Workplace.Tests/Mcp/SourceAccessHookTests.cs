using System.Text.Json.Nodes;
using Workplace.McpApi.Auth;
using Workplace.McpApi.Sources;

namespace Workplace.Tests.Mcp;

/// <summary>
/// The endpoint asks <see cref="ISourceAccess"/> before it runs a call, with the real resource server and a token
/// that grants only <c>files</c>, and sends its answer instead of running the call.
/// </summary>
public sealed class SourceAccessHookTests(McpApiFactory factory) : IClassFixture<McpApiFactory>, IDisposable
{
    private static readonly string[] s_filesOnly = [SourceIds.ReadScope(SourceIds.Files)];

    private readonly HttpClient _http = factory.Auth.CreateClient(scopes: s_filesOnly);
    private McpWire Wire => new(_http, factory.McpUrl);

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task A_search_naming_an_ungranted_source_gets_the_access_answer_instead_of_running()
    {
        var response = await Wire.CallToolAsync("search", new JsonObject { ["query"] = "roadmap", ["sources"] = new JsonArray("files", "notion") });

        Assert.Equal(403, response.Status);
        // One challenge naming every scope the call needs: the held one and the missing one.
        Assert.Contains("scope=\"workplace:read:notion workplace:read:files\"", response.Headers["WWW-Authenticate"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fetch_of_an_ungranted_sources_document_gets_the_access_answer()
    {
        var response = await Wire.CallToolAsync("fetch", new JsonObject { ["id"] = "sharepoint:01ABCDEF" });

        Assert.Equal(403, response.Status);
        Assert.Contains("workplace:read:sharepoint", response.Headers["WWW-Authenticate"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_resource_read_of_an_ungranted_sources_document_gets_the_access_answer()
    {
        const string uri = "workplace://documents/google_drive/google_drive%3A1AbC";
        var response = await Wire.ModernAsync("resources/read", new JsonObject { ["uri"] = uri }, uri);

        Assert.Equal(403, response.Status);
        Assert.Contains("workplace:read:google_drive", response.Headers["WWW-Authenticate"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_search_without_sources_covers_only_the_granted_ones()
    {
        var response = await Wire.CallToolAsync("search", new JsonObject { ["query"] = "roadmap" });

        Assert.Equal(200, response.Status);
        var sources = response.Result["structuredContent"]!["sources"]!.AsArray().Select(s => s!["source"]!.GetValue<string>());
        Assert.Equal(["files"], sources);
    }

    [Fact]
    public async Task The_rest_facade_asks_too()
    {
        using var http = factory.Auth.CreateClient(factory.BaseAddress, scopes: s_filesOnly);
        using var response = await http.PostAsync(new Uri("/mcp/tools/search/call", UriKind.Relative),
            new StringContent("""{"query":"roadmap","sources":["notion"]}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("workplace:read:notion", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }
}
