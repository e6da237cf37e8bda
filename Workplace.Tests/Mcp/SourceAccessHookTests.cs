using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Workplace.McpApi.Auth;

namespace Workplace.Tests.Mcp;

/// <summary>
/// McpApi with an <see cref="ISourceAccess"/> whose token grants only <c>files</c>, standing in for a real bearer token
/// until the OAuth resource server lands: it proves the endpoint asks before running a call and sends its answer.
/// </summary>
public sealed class FilesOnlyMcpApiFactory : McpApiFactory
{
    protected override void ConfigureTestHost(IWebHostBuilder builder) =>
        builder.ConfigureTestServices(services => services.AddSingleton<ISourceAccess, FilesOnlyAccess>());

    private sealed class FilesOnlyAccess : ISourceAccess
    {
        private static readonly HashSet<string> s_granted = new(StringComparer.Ordinal) { "files" };

        public string UserKey(ClaimsPrincipal user) => "files-only-user";

        public IReadOnlySet<string> GrantedSources(ClaimsPrincipal user) => s_granted;

        public IResult? Authorize(HttpContext context, IReadOnlyCollection<string> requestedSources)
        {
            var missing = requestedSources.Where(s => !s_granted.Contains(s)).ToList();
            if (missing.Count == 0)
            {
                return null;
            }
            context.Response.Headers.WWWAuthenticate = $"Bearer error=\"insufficient_scope\", scope=\"{string.Join(' ', missing.Select(s => $"workplace:read:{s}"))}\"";
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }
    }
}

public sealed class SourceAccessHookTests(FilesOnlyMcpApiFactory factory) : IClassFixture<FilesOnlyMcpApiFactory>, IDisposable
{
    private readonly HttpClient _http = new();
    private McpWire Wire => new(_http, factory.McpUrl);

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task A_search_naming_an_ungranted_source_gets_the_access_answer_instead_of_running()
    {
        var response = await Wire.CallToolAsync("search", new JsonObject { ["query"] = "roadmap", ["sources"] = new JsonArray("files", "notion") });

        Assert.Equal(403, response.Status);
        Assert.Contains("scope=\"workplace:read:notion\"", response.Headers["WWW-Authenticate"], StringComparison.Ordinal);
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
        using var http = new HttpClient { BaseAddress = factory.BaseAddress };
        using var response = await http.PostAsync(new Uri("/mcp/tools/search/call", UriKind.Relative),
            new StringContent("""{"query":"roadmap","sources":["notion"]}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("workplace:read:notion", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }
}
