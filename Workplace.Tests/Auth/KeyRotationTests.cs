using System.Net;
using Workplace.Emulators.Oidc;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Auth;

public sealed class KeyRotationTests
{
    private static readonly string[] s_scopes = ["workplace:read:files"];

    [Fact]
    public async Task TokenSignedWithARotatedInKey_IsAcceptedAfterTheKeysRefresh_AndTheRetiredKeyIsRefused()
    {
        await using var issuer = await OidcIssuer.StartAsync(McpApiHost.Resource);
        await using var api = new McpApiHost(McpApiHost.AuthoritySettings(issuer.Issuer));
        using var client = api.Client();
        var oldToken = issuer.Mint(new TokenSpec { Scopes = s_scopes });
        Assert.Equal(HttpStatusCode.OK, (await client.GetWithTokenAsync("/_probe", oldToken)).StatusCode);
        var fetchesBefore = issuer.JwksRequests;

        issuer.RotateKey(keepOldKey: false);
        var newToken = issuer.Mint(new TokenSpec { Scopes = s_scopes });

        // The first request with the new kid may be refused while the refresh it triggered runs in the background.
        await Poll.UntilAsync(async () => (await client.GetWithTokenAsync("/_probe", newToken)).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(15), "a token with the rotated-in kid to be accepted");
        Assert.True(issuer.JwksRequests > fetchesBefore, "the JWKS was not fetched again");
        var retired = await client.GetWithTokenAsync("/_probe", oldToken);
        Assert.Equal(HttpStatusCode.Unauthorized, retired.StatusCode);
        Assert.Contains("error=\"invalid_token\"", retired.WwwAuthenticate(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableIssuer_Is503WithRetryAfter_NotAChallenge()
    {
        var issuer = await OidcIssuer.StartAsync(McpApiHost.Resource);
        await using var api = new McpApiHost(McpApiHost.AuthoritySettings(issuer.Issuer));
        using var client = api.Client();
        var token = issuer.Mint(new TokenSpec { Scopes = s_scopes });
        await issuer.DisposeAsync();

        var response = await client.GetWithTokenAsync("/_probe", token);

        // The token may be fine: a 401 would send the client through sign-in again for nothing.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(10), response.Headers.RetryAfter?.Delta);
        Assert.False(response.Headers.Contains("WWW-Authenticate"));
        Assert.Equal("temporarily_unavailable", (string?)(await response.JsonAsync())["error"]);
    }

    [Fact]
    public async Task ManyUnknownKids_RefreshTheKeysAtMostOncePerRefreshInterval()
    {
        await using var issuer = await OidcIssuer.StartAsync(McpApiHost.Resource);
        var settings = McpApiHost.AuthoritySettings(issuer.Issuer);
        settings["Auth:KeyRefreshInterval"] = "00:10:00";
        await using var api = new McpApiHost(settings);
        using var client = api.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetWithTokenAsync("/_probe", issuer.Mint(new TokenSpec { Scopes = s_scopes }))).StatusCode);
        var fetchesBefore = issuer.JwksRequests;

        for (var i = 0; i < 20; i++)
        {
            var forged = await client.GetWithTokenAsync("/_probe", issuer.Mint(new TokenSpec { Flaw = TokenFlaw.UnpublishedKey, Scopes = s_scopes }));
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
            Assert.Contains("The access token is signed with a key the issuer does not publish.", forged.WwwAuthenticate(), StringComparison.Ordinal);
        }

        // IdentityModel lets the very first refresh request through, then one per interval.
        Assert.InRange(issuer.JwksRequests - fetchesBefore, 0, 1);
    }
}
