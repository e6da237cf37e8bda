using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Workplace.Tests.Emulators.Oidc;

// The OIDC issuer as the Emulators app serves it under /oidc: what a resource server reads (discovery, JWKS) and the admin
// shortcut that mints a token for any user.
public sealed class OidcEmulatorTests
{
    private const string Audience = "http://localhost:5180/mcp";

    [Fact]
    public async Task AMintedToken_ValidatesAgainstTheDiscoveredIssuerAndKeys()
    {
        await using var emulators = new EmulatorsHost();
        using var http = new HttpClient { BaseAddress = emulators.BaseAddress };

        using var minted = await http.PostAsJsonAsync("/admin/oidc/tokens", new
        {
            subject = "aditi",
            audience = Audience,
            scopes = new[] { "workplace:read:notion", "workplace:read:files" },
            email = "aditi.raman@halcyon-robotics.example",
            expiresIn = 120,
        });
        Assert.Equal(HttpStatusCode.OK, minted.StatusCode);
        using var body = JsonDocument.Parse(await minted.Content.ReadAsStringAsync());
        var token = body.RootElement.GetProperty("access_token").GetString()!;
        Assert.Equal("Bearer", body.RootElement.GetProperty("token_type").GetString());
        Assert.Equal(120, body.RootElement.GetProperty("expires_in").GetInt32());

        using var discovery = JsonDocument.Parse(await http.GetStringAsync("/oidc/.well-known/openid-configuration"));
        var issuer = discovery.RootElement.GetProperty("issuer").GetString()!;
        var jwks = new JsonWebKeySet(await http.GetStringAsync(discovery.RootElement.GetProperty("jwks_uri").GetString()));

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = Audience,
            IssuerSigningKeys = jwks.GetSigningKeys(),
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal(new Uri(emulators.BaseAddress, "/oidc").ToString().TrimEnd('/'), issuer);
        Assert.Equal("aditi", result.ClaimsIdentity.FindFirst("sub")?.Value);
        Assert.Equal("aditi.raman@halcyon-robotics.example", result.ClaimsIdentity.FindFirst("email")?.Value);
        Assert.Equal("workplace:read:notion workplace:read:files", result.ClaimsIdentity.FindFirst("scope")?.Value);
    }

    [Fact]
    public async Task ATokenFromAnotherEmulatorsApp_DoesNotValidateAgainstThisOnesKeys()
    {
        await using var emulators = new EmulatorsHost();
        await using var other = new EmulatorsHost();
        using var http = new HttpClient { BaseAddress = emulators.BaseAddress };
        using var otherHttp = new HttpClient { BaseAddress = other.BaseAddress };

        using var minted = await otherHttp.PostAsJsonAsync("/admin/oidc/tokens", new { subject = "aditi", audience = Audience });
        using var body = JsonDocument.Parse(await minted.Content.ReadAsStringAsync());
        var jwks = new JsonWebKeySet(await http.GetStringAsync("/oidc/jwks.json"));

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(body.RootElement.GetProperty("access_token").GetString(), new TokenValidationParameters
        {
            ValidateIssuer = false,
            ValidAudience = Audience,
            IssuerSigningKeys = jwks.GetSigningKeys(),
        });

        Assert.False(result.IsValid);
        Assert.IsType<SecurityTokenSignatureKeyNotFoundException>(result.Exception);
    }

    [Theory]
    [InlineData("""{"subject":"aditi"}""")]
    [InlineData("""{"subject":"","audience":"http://localhost:5180/mcp"}""")]
    [InlineData("""{"subject":"aditi","audience":"not a url"}""")]
    [InlineData("""{"subject":"aditi","audience":"http://localhost:5180/mcp","expiresIn":0}""")]
    [InlineData("""{"subject":"aditi","audience":"http://localhost:5180/mcp","expiresIn":86401}""")]
    public async Task TheAdminShortcut_RefusesBadRequests(string request)
    {
        await using var emulators = new EmulatorsHost();
        using var http = new HttpClient { BaseAddress = emulators.BaseAddress };

        using var response = await http.PostAsync("/admin/oidc/tokens", new StringContent(request, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("access_token", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
