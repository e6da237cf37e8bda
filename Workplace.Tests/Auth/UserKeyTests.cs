using System.Net;
using Workplace.Emulators.Oidc;

namespace Workplace.Tests.Auth;

/// <summary>
/// Per-user caches and rate limits are keyed by issuer and subject together: two issuers may hand the same subject
/// to different people. Descope is the real case: a project's MCP server issuer and the project's own issuer are
/// both trusted, and each numbers its users on its own.
/// </summary>
public sealed class UserKeyTests
{
    [Fact]
    public async Task TwoIssuersSubjects_GetDifferentUserKeys_AndTheKeyHidesTheSubject()
    {
        await using var descope = await OidcIssuer.StartAsync(McpApiHost.Resource, "/v1/apps/agentic/P2test/MS42");
        await using var api = new McpApiHost(McpApiHost.DescopeSettings(descope.Origin));
        using var client = api.Client();
        var mcpServerIssuer = descope.Issuer;
        var projectIssuer = descope.Origin + "/v1/apps/P2test";

        async Task<(HttpStatusCode Status, string? UserKey)> ProbeAsync(string issuer, string subject)
        {
            var response = await client.GetWithTokenAsync("/_probe", descope.Mint(new TokenSpec { Issuer = issuer, Subject = subject }));
            return (response.StatusCode, response.IsSuccessStatusCode ? (string?)(await response.JsonAsync())["user_key"] : null);
        }

        var aliceOfTheMcpServer = await ProbeAsync(mcpServerIssuer, "alice");
        var aliceOfTheProject = await ProbeAsync(projectIssuer, "alice");
        var bobOfTheMcpServer = await ProbeAsync(mcpServerIssuer, "bob");
        var aliceOfTheMcpServerAgain = await ProbeAsync(mcpServerIssuer, "alice");
        var aliceOfAnUntrustedIssuer = await ProbeAsync(descope.Origin + "/v1/apps/P2other", "alice");

        Assert.Equal(HttpStatusCode.OK, aliceOfTheMcpServer.Status);
        Assert.Equal(HttpStatusCode.OK, aliceOfTheProject.Status);
        Assert.NotEqual(aliceOfTheMcpServer.UserKey, aliceOfTheProject.UserKey);
        Assert.NotEqual(aliceOfTheMcpServer.UserKey, bobOfTheMcpServer.UserKey);
        Assert.Equal(aliceOfTheMcpServer.UserKey, aliceOfTheMcpServerAgain.UserKey);
        Assert.DoesNotContain("alice", aliceOfTheMcpServer.UserKey!, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, aliceOfAnUntrustedIssuer.Status);
    }
}
