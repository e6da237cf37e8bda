using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Workplace.Emulators.Oidc;

namespace Workplace.Tests.Auth;

/// <summary>The MCP endpoint and the REST facade behind the resource server: the challenges a real client acts on.</summary>
public sealed class McpAuthTests(IssuerAndApiFixture fixture) : IClassFixture<IssuerAndApiFixture>
{
    private const string Needed = "workplace:read:notion workplace:read:files";
    private static readonly string s_insufficientScope =
        $"Bearer error=\"insufficient_scope\", scope=\"{Needed}\", resource_metadata=\"{McpApiHost.ResourceMetadata}\", error_description=\"The token lacks workplace:read:notion. Authorize again requesting these scopes: {Needed}.\"";

    [Fact]
    public async Task McpPost_WithoutToken_Is401_WithTheDiscoveryChallenge()
    {
        using var response = await PostMcpAsync(SearchCall(["files"]), token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal($"Bearer resource_metadata=\"{McpApiHost.ResourceMetadata}\", scope=\"{McpApiHost.ReadScopes}\"", response.WwwAuthenticate());
    }

    [Fact]
    public async Task McpSearch_NamingASourceTheTokenLacks_Is403InsufficientScope()
    {
        var token = fixture.Issuer.Mint(new TokenSpec { Scopes = ["workplace:read:files"] });

        using var response = await PostMcpAsync(SearchCall(["notion", "files"]), token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(s_insufficientScope, response.WwwAuthenticate());
    }

    [Fact]
    public async Task RestSearch_NamingASourceTheTokenLacks_Is403InsufficientScope()
    {
        var token = fixture.Issuer.Mint(new TokenSpec { Scopes = ["workplace:read:files"] });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp/tools/search/call")
        {
            Content = new StringContent("""{"query":"roadmap","sources":["notion","files"]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await fixture.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(s_insufficientScope, response.WwwAuthenticate());
    }

    [Fact]
    public async Task RestToolList_WithoutToken_Is401()
    {
        using var response = await fixture.Client.GetWithTokenAsync("/mcp/tools", null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer resource_metadata=", response.WwwAuthenticate(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApiDocument_NeedsNoToken()
    {
        using var response = await fixture.Client.GetWithTokenAsync("/openapi/v1.json", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static JsonObject SearchCall(string[] sources) => new()
    {
        ["jsonrpc"] = "2.0",
        ["id"] = 1,
        ["method"] = "tools/call",
        ["params"] = new JsonObject
        {
            ["name"] = "search",
            ["arguments"] = new JsonObject { ["query"] = "roadmap", ["sources"] = new JsonArray([.. sources.Select(s => (JsonNode)s)]) },
            ["_meta"] = new JsonObject
            {
                ["io.modelcontextprotocol/protocolVersion"] = "2026-07-28",
                ["io.modelcontextprotocol/clientCapabilities"] = new JsonObject(),
            },
        },
    };

    private async Task<HttpResponseMessage> PostMcpAsync(JsonObject message, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = new StringContent(message.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        request.Headers.TryAddWithoutValidation("MCP-Protocol-Version", "2026-07-28");
        request.Headers.TryAddWithoutValidation("Mcp-Method", (string)message["method"]!);
        request.Headers.TryAddWithoutValidation("Mcp-Name", (string)message["params"]!["name"]!);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await fixture.Client.SendAsync(request);
    }
}
