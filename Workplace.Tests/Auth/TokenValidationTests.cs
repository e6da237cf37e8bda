using System.Net;
using Microsoft.IdentityModel.Tokens;
using Workplace.Emulators.Oidc;

namespace Workplace.Tests.Auth;

/// <summary>One issuer and one mcpapi (Auth:Authority mode) shared by tests that do not change either.</summary>
public sealed class IssuerAndApiFixture : IAsyncLifetime
{
    public OidcIssuer Issuer { get; private set; } = null!;
    public McpApiHost Api { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Issuer = await OidcIssuer.StartAsync(McpApiHost.Resource);
        var settings = McpApiHost.AuthoritySettings(Issuer.Issuer);
        settings["Auth:ScopeClaim"] = "permissions";
        Api = new McpApiHost(settings);
        Client = Api.Client();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Api.DisposeAsync();
        await Issuer.DisposeAsync();
    }
}

public sealed class TokenValidationTests(IssuerAndApiFixture fixture) : IClassFixture<IssuerAndApiFixture>
{
    private const string Challenge401 = $"Bearer resource_metadata=\"{McpApiHost.ResourceMetadata}\", scope=\"{McpApiHost.ReadScopes}\"";
    private const string SignatureDescription = "The access token's signature does not verify against the issuer's published keys.";

    private static readonly string[] s_allScopes =
        ["workplace:read:google_drive", "workplace:read:notion", "workplace:read:sharepoint", "workplace:read:files"];

    private static string InvalidToken(string description) =>
        $"Bearer error=\"invalid_token\", error_description=\"{description}\", resource_metadata=\"{McpApiHost.ResourceMetadata}\", scope=\"{McpApiHost.ReadScopes}\"";

    private Task<HttpResponseMessage> Probe(string? token, string query = "") => fixture.Client.GetWithTokenAsync("/_probe" + query, token);

    [Fact]
    public async Task NoToken_Is401_WithResourceMetadataAndScope()
    {
        var response = await Probe(null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(Challenge401, response.WwwAuthenticate());
        var body = await response.JsonAsync();
        Assert.Equal(McpApiHost.ResourceMetadata, (string?)body["resource_metadata"]);
    }

    [Fact]
    public async Task NoToken_OnAnUnmappedPath_Is401_NotA404()
    {
        var response = await fixture.Client.GetWithTokenAsync("/anything/added/later", null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(Challenge401, response.WwwAuthenticate());
    }

    [Fact]
    public async Task ValidToken_IsAccepted_AndGrantsTheSourcesOfItsScopes()
    {
        var token = fixture.Issuer.Mint(new TokenSpec { Subject = "alice", Scopes = ["workplace:read:notion", "workplace:read:files", "openid"] });

        var response = await Probe(token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("WWW-Authenticate"));
        var body = await response.JsonAsync();
        Assert.Equal("alice", (string?)body["sub"]);
        Assert.Equal(["files", "notion"], body["sources"]!.AsArray().Select(n => (string)n!));
    }

    [Fact]
    public async Task ValidEs256Token_IsAccepted()
    {
        var token = fixture.Issuer.Mint(new TokenSpec { Algorithm = SecurityAlgorithms.EcdsaSha256, Scopes = s_allScopes });

        var response = await Probe(token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ScopesFromScpArrayAndTheConfiguredClaim_AreUnited()
    {
        var token = fixture.Issuer.Mint(new TokenSpec
        {
            Claims = new Dictionary<string, object>
            {
                ["scp"] = new[] { "workplace:read:google_drive" },
                ["permissions"] = new[] { "workplace:read:sharepoint" },
            },
        });

        var body = await (await Probe(token)).JsonAsync();

        Assert.Equal(["google_drive", "sharepoint"], body["sources"]!.AsArray().Select(n => (string)n!));
    }

    [Fact]
    public async Task ScpAsSpaceSeparatedString_GrantsEachScope()
    {
        var token = fixture.Issuer.Mint(new TokenSpec
        {
            Claims = new Dictionary<string, object> { ["scp"] = "workplace:read:notion workplace:read:files" },
        });

        var body = await (await Probe(token)).JsonAsync();

        Assert.Equal(["files", "notion"], body["sources"]!.AsArray().Select(n => (string)n!));
    }

    [Fact]
    public async Task ExpiredToken_Is401InvalidToken()
    {
        var token = fixture.Issuer.Mint(new TokenSpec { NotBefore = DateTimeOffset.UtcNow.AddHours(-2), Expires = DateTimeOffset.UtcNow.AddMinutes(-5), Scopes = s_allScopes });

        var response = await Probe(token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(InvalidToken("The access token has expired. Get a new one from the authorization server (refresh, or sign in again)."), response.WwwAuthenticate());
    }

    [Fact]
    public async Task TokenExpiredWithinTheClockSkew_IsStillAccepted()
    {
        var token = fixture.Issuer.Mint(new TokenSpec { NotBefore = DateTimeOffset.UtcNow.AddHours(-1), Expires = DateTimeOffset.UtcNow.AddSeconds(-10), Scopes = s_allScopes });

        var response = await Probe(token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task NotYetValidToken_Is401InvalidToken()
    {
        var token = fixture.Issuer.Mint(new TokenSpec { NotBefore = DateTimeOffset.UtcNow.AddMinutes(5), Expires = DateTimeOffset.UtcNow.AddMinutes(20), Scopes = s_allScopes });

        var response = await Probe(token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(InvalidToken("The access token is not valid yet (its nbf is in the future). Check the clocks of the issuer and of this server."), response.WwwAuthenticate());
    }

    [Fact]
    public async Task WrongAudience_Is401InvalidToken_NamingTheResourceToRequest()
    {
        var token = fixture.Issuer.Mint(new TokenSpec { Audience = "https://other.example/mcp", Scopes = s_allScopes });

        var response = await Probe(token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(InvalidToken($"The access token was not issued for this server. Request it with resource={McpApiHost.Resource} so that its audience is {McpApiHost.Resource}."), response.WwwAuthenticate());
    }

    [Fact]
    public async Task WrongIssuer_Is401InvalidToken()
    {
        var token = fixture.Issuer.Mint(new TokenSpec { Issuer = "https://evil.example", Scopes = s_allScopes });

        var response = await Probe(token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(InvalidToken("The access token comes from an issuer this server does not trust. Sign in at the authorization server listed in the resource metadata."), response.WwwAuthenticate());
    }

    [Fact]
    public async Task AlgNone_Is401InvalidToken()
    {
        var token = fixture.Issuer.Mint(new TokenSpec { Flaw = TokenFlaw.AlgNone, Scopes = s_allScopes });

        var response = await Probe(token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(InvalidToken(SignatureDescription), response.WwwAuthenticate());
    }

    [Fact]
    public async Task HmacSignedWithThePublicKey_Is401InvalidToken()
    {
        var token = fixture.Issuer.Mint(new TokenSpec { Flaw = TokenFlaw.HmacWithPublicKey, Scopes = s_allScopes });

        var response = await Probe(token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(InvalidToken(SignatureDescription), response.WwwAuthenticate());
    }

    [Fact]
    public async Task BadSignature_Is401InvalidToken()
    {
        var token = fixture.Issuer.Mint(new TokenSpec { Flaw = TokenFlaw.BadSignature, Scopes = s_allScopes });

        var response = await Probe(token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(InvalidToken(SignatureDescription), response.WwwAuthenticate());
    }

    [Fact]
    public async Task GarbageToken_Is401InvalidToken()
    {
        var response = await Probe("not-a-jwt");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(InvalidToken("The Authorization header does not hold a well-formed JWT access token."), response.WwwAuthenticate());
    }

    [Fact]
    public async Task TokenWithoutSubject_Is401InvalidToken()
    {
        var token = fixture.Issuer.Mint(new TokenSpec { Subject = "", Scopes = s_allScopes });

        var response = await Probe(token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(InvalidToken("The access token has no subject (sub), so this server cannot tell whose documents to search."), response.WwwAuthenticate());
    }

    [Theory]
    [InlineData("/_probe?access_token=")]
    [InlineData("/mcp?x=1&access_token=")]
    public async Task TokenInQueryString_Is400InvalidRequest_EvenWithAValidHeader(string pathAndQuery)
    {
        var token = fixture.Issuer.Mint(new TokenSpec { Scopes = s_allScopes });

        var response = await fixture.Client.GetWithTokenAsync(pathAndQuery + token, token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            $"Bearer error=\"invalid_request\", error_description=\"Access tokens in the query string are refused. Send the token in the Authorization header (Authorization: Bearer <token>) and revoke the one sent in the URL.\", resource_metadata=\"{McpApiHost.ResourceMetadata}\"",
            response.WwwAuthenticate());
        Assert.DoesNotContain(token, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestNamingAnUngrantedSource_Is403InsufficientScope_NamingHeldAndMissingScopes()
    {
        var token = fixture.Issuer.Mint(new TokenSpec { Scopes = ["workplace:read:files", "admin:analytics", "openid"] });

        var response = await Probe(token, "?sources=notion,files,sharepoint");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        const string Needed = "workplace:read:notion workplace:read:sharepoint workplace:read:files admin:analytics";
        Assert.Equal(
            $"Bearer error=\"insufficient_scope\", scope=\"{Needed}\", resource_metadata=\"{McpApiHost.ResourceMetadata}\", error_description=\"The token lacks workplace:read:notion, workplace:read:sharepoint. Authorize again requesting these scopes: {Needed}.\"",
            response.WwwAuthenticate());
        var body = await response.JsonAsync();
        Assert.Equal("insufficient_scope", (string?)body["error"]);
        Assert.Equal(Needed, (string?)body["scope"]);
        Assert.Equal(["workplace:read:notion", "workplace:read:sharepoint"], body["missing_scopes"]!.AsArray().Select(n => (string)n!));
    }

    [Fact]
    public async Task RequestNamingOnlyGrantedSources_IsServed()
    {
        var token = fixture.Issuer.Mint(new TokenSpec { Scopes = ["workplace:read:files", "workplace:read:notion"] });

        var response = await Probe(token, "?sources=notion,files");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Tokens_NeverReachTheLogs_RefusedOrAccepted()
    {
        var tokens = new[]
        {
            fixture.Issuer.Mint(new TokenSpec { Scopes = s_allScopes }),
            fixture.Issuer.Mint(new TokenSpec { Flaw = TokenFlaw.BadSignature }),
            fixture.Issuer.Mint(new TokenSpec { Audience = "https://other.example/mcp" }),
        };
        foreach (var token in tokens)
        {
            await Probe(token);
            await fixture.Client.GetWithTokenAsync("/_probe?access_token=" + token, null);
        }

        var lines = fixture.Api.Logs.Lines;
        Assert.Contains(lines, l => l.Contains("Refused a bearer token (signature", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("access token in the query string", StringComparison.Ordinal));
        // A JWT's signature part is unique to it; no line may carry any of the three parts.
        Assert.DoesNotContain(lines, l => tokens.Any(t => t.Split('.').Any(part => l.Contains(part, StringComparison.Ordinal))));
    }

    [Theory]
    [InlineData("/.well-known/oauth-protected-resource")]
    [InlineData("/.well-known/oauth-protected-resource/mcp")]
    public async Task ProtectedResourceMetadata_IsServedAnonymously(string path)
    {
        var response = await fixture.Client.GetWithTokenAsync(path, null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(McpApiHost.Resource, (string?)body["resource"]);
        Assert.Equal([fixture.Issuer.Issuer], body["authorization_servers"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(s_allScopes, body["scopes_supported"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(["header"], body["bearer_methods_supported"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("Workplace", (string?)body["resource_name"]);
    }

    [Fact]
    public async Task ProtectedResourceMetadata_ForAnotherResourcePath_Is404()
    {
        var response = await fixture.Client.GetWithTokenAsync("/.well-known/oauth-protected-resource/other", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task HealthEndpoints_NeedNoToken()
    {
        var alive = await fixture.Client.GetWithTokenAsync("/alive", null);
        // Readiness may be 503 here (no connectors run in these tests); what matters is that it is not a challenge.
        var health = await fixture.Client.GetWithTokenAsync("/health", null);

        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.NotEqual(HttpStatusCode.Unauthorized, health.StatusCode);
        Assert.False(health.Headers.Contains("WWW-Authenticate"));
    }
}
