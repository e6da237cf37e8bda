using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Workplace.Tests.Emulators.Graph;

public sealed class GraphIdentityTests
{
    private const string ClientId = "workplace-test";
    private const string RedirectUri = "http://localhost/connect/sharepoint/callback";
    private const string Scope = "offline_access https://graph.microsoft.com/Files.Read.All https://graph.microsoft.com/Sites.Read.All";

    [Fact]
    public async Task AuthorizationCode_WithPkce_RoundTrips_AndTheTokenReadsGraph()
    {
        await using var emulators = new EmulatorsHost();
        using var http = NewClient(emulators);
        var verifier = NewVerifier();

        var code = await AuthorizeAsync(http, Challenge(verifier), "state-1");
        using var exchanged = await TokenAsync(http, new() { ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = RedirectUri, ["code_verifier"] = verifier });
        var tokens = await exchanged.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, exchanged.StatusCode);
        Assert.Equal("Bearer", tokens.GetProperty("token_type").GetString());
        Assert.Equal(3599, tokens.GetProperty("expires_in").GetInt32());
        Assert.True(tokens.GetProperty("ext_expires_in").GetInt32() > 0);
        Assert.Equal("https://graph.microsoft.com/Files.Read.All https://graph.microsoft.com/Sites.Read.All", tokens.GetProperty("scope").GetString());
        Assert.False(string.IsNullOrEmpty(tokens.GetProperty("refresh_token").GetString()));
        using var graph = emulators.ClientWithToken(tokens.GetProperty("access_token").GetString()!);
        var me = await graph.GetFromJsonAsync<JsonElement>("me");
        Assert.Equal("Renata Vashti", me.GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task AWrongVerifier_IsRefused_AndACodeIsGoodOnce()
    {
        await using var emulators = new EmulatorsHost();
        using var http = NewClient(emulators);
        var verifier = NewVerifier();
        var wrongCode = await AuthorizeAsync(http, Challenge(verifier), "s");
        var code = await AuthorizeAsync(http, Challenge(verifier), "s");
        Dictionary<string, string> Exchange(string c, string v) => new() { ["grant_type"] = "authorization_code", ["code"] = c, ["redirect_uri"] = RedirectUri, ["code_verifier"] = v };

        using var wrong = await TokenAsync(http, Exchange(wrongCode, NewVerifier()));
        using var first = await TokenAsync(http, Exchange(code, verifier));
        using var replay = await TokenAsync(http, Exchange(code, verifier));

        Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant", 501481), await ErrorAsync(wrong));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant", 54005), await ErrorAsync(replay));
    }

    [Fact]
    public async Task Refresh_IssuesNewTokens_UntilTheUserRevokesTheirSessions()
    {
        await using var emulators = new EmulatorsHost();
        using var http = NewClient(emulators);
        var grant = await emulators.GrantAsync("aditi");
        var refreshToken = grant.GetProperty("refresh_token").GetString()!;
        Dictionary<string, string> Refresh(string token) => new() { ["grant_type"] = "refresh_token", ["refresh_token"] = token, ["client_id"] = "workplace" };

        using var refreshed = await TokenAsync(http, Refresh(refreshToken), clientId: null);
        var tokens = await refreshed.Content.ReadFromJsonAsync<JsonElement>();
        var rotated = tokens.GetProperty("refresh_token").GetString()!;
        using var graph = emulators.ClientWithToken(tokens.GetProperty("access_token").GetString()!);
        using var revoke = await graph.PostAsync("me/revokeSignInSessions", null);
        using var afterRevoke = await TokenAsync(http, Refresh(rotated), clientId: null);
        using var oldAccess = await graph.SearchAsync("kestrel");
        var stats = await http.GetFromJsonAsync<JsonElement>("/admin/graph/stats");

        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.NotEqual(refreshToken, rotated);
        Assert.NotEqual(grant.GetProperty("access_token").GetString(), tokens.GetProperty("access_token").GetString());
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant", 50173), await ErrorAsync(afterRevoke));
        Assert.Equal(HttpStatusCode.Unauthorized, oldAccess.StatusCode);
        Assert.Equal("InvalidAuthenticationToken", await oldAccess.ErrorCodeAsync());
        Assert.Equal(2, stats.GetProperty("tokenRequests").GetInt32());
        Assert.Equal(1, stats.GetProperty("refreshes").GetInt32());
    }

    [Fact]
    public async Task ConcurrentRefreshes_AreEachCounted_AndEachIssuesItsOwnToken()
    {
        await using var emulators = new EmulatorsHost();
        using var http = NewClient(emulators);
        var refreshToken = (await emulators.GrantAsync("renata")).GetProperty("refresh_token").GetString()!;

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => TokenAsync(http,
            new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken, ["client_id"] = "workplace" }, clientId: null)));
        var tokens = await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<JsonElement>()));
        var stats = await http.GetFromJsonAsync<JsonElement>("/admin/graph/stats");

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(20, tokens.Select(t => t.GetProperty("access_token").GetString()).Distinct().Count());
        Assert.Equal(20, stats.GetProperty("tokenRequests").GetInt32());
        Assert.Equal(20, stats.GetProperty("refreshes").GetInt32());
        Assert.Equal(0, stats.GetProperty("authorizationCodeRedemptions").GetInt32());
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task ARefreshTokenOfAnotherClient_OrUnknown_IsAnInvalidGrant()
    {
        await using var emulators = new EmulatorsHost();
        using var http = NewClient(emulators);
        var refreshToken = (await emulators.GrantAsync("priya")).GetProperty("refresh_token").GetString()!;

        using var otherClient = await TokenAsync(http, new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken });
        using var unknown = await TokenAsync(http, new() { ["grant_type"] = "refresh_token", ["refresh_token"] = "forged" });

        Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant", 70000), await ErrorAsync(otherClient));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant", 9002313), await ErrorAsync(unknown));
    }

    [Theory]
    [InlineData("grant_type", "invalid_request", 900144)]
    [InlineData("code", "invalid_request", 900144)]
    [InlineData("redirect_uri", "invalid_request", 900144)]
    public async Task AMissingParameter_IsNamed(string omitted, string error, int code)
    {
        await using var emulators = new EmulatorsHost();
        using var http = NewClient(emulators);
        var form = new Dictionary<string, string> { ["grant_type"] = "authorization_code", ["code"] = "c", ["redirect_uri"] = RedirectUri };
        form.Remove(omitted);

        using var response = await TokenAsync(http, form);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal((HttpStatusCode.BadRequest, error, code), await ErrorAsync(response));
        Assert.Contains($"parameter: '{omitted}'", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnsupportedGrantType_OrAJsonBody_IsRefused()
    {
        await using var emulators = new EmulatorsHost();
        using var http = NewClient(emulators);

        using var password = await TokenAsync(http, new() { ["grant_type"] = "password" });
        using var json = await http.PostAsJsonAsync("/graph/common/oauth2/v2.0/token", new { grant_type = "refresh_token" });

        Assert.Equal((HttpStatusCode.BadRequest, "unsupported_grant_type", 70003), await ErrorAsync(password));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request", 900144), await ErrorAsync(json));
    }

    [Theory]
    [InlineData("login_hint=nobody", "login_required")]
    [InlineData("response_type=token", "unsupported_response_type")]
    [InlineData("scope=Mail.Send", "invalid_scope")]
    [InlineData("code_challenge_method=S512", "invalid_request")]
    public async Task Authorize_RedirectsErrorsWithTheState(string replaced, string error)
    {
        await using var emulators = new EmulatorsHost();
        using var http = NewClient(emulators);
        var parameters = AuthorizeParameters(Challenge(NewVerifier()), "keep-me");
        var (name, value) = (replaced.Split('=')[0], replaced.Split('=')[1]);
        parameters[name] = value;

        using var response = await http.GetAsync(QueryHelpers.AddQueryString("/graph/common/oauth2/v2.0/authorize", parameters!));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var query = QueryHelpers.ParseQuery(response.Headers.Location!.Query);
        Assert.Equal(error, query["error"].ToString());
        Assert.Equal("keep-me", query["state"].ToString());
        Assert.StartsWith("AADSTS", query["error_description"].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorize_WithoutARedirectUri_IsAnErrorPage()
    {
        await using var emulators = new EmulatorsHost();
        using var http = NewClient(emulators);

        using var response = await http.GetAsync($"/graph/common/oauth2/v2.0/authorize?client_id={ClientId}&response_type=code&scope=Files.Read.All");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("AADSTS900144", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAdminGrant_RefusesAnUnknownUser()
    {
        await using var emulators = new EmulatorsHost();
        using var http = NewClient(emulators);

        using var response = await http.PostAsJsonAsync("/admin/graph/grants", new { user = "mallory" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("aditi", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static HttpClient NewClient(EmulatorsHost emulators) =>
        new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = emulators.BaseAddress };

    private static Dictionary<string, string> AuthorizeParameters(string challenge, string state) => new()
    {
        ["client_id"] = ClientId,
        ["response_type"] = "code",
        ["redirect_uri"] = RedirectUri,
        ["response_mode"] = "query",
        ["scope"] = Scope,
        ["state"] = state,
        ["code_challenge"] = challenge,
        ["code_challenge_method"] = "S256",
        ["login_hint"] = "renata.vashti@halcyon-robotics.example",
    };

    private static async Task<string> AuthorizeAsync(HttpClient http, string challenge, string state)
    {
        using var response = await http.GetAsync(QueryHelpers.AddQueryString("/graph/organizations/oauth2/v2.0/authorize", AuthorizeParameters(challenge, state)!));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(RedirectUri, location.ToString(), StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal(state, query["state"].ToString());
        return query["code"].ToString();
    }

    private static Task<HttpResponseMessage> TokenAsync(HttpClient http, Dictionary<string, string> form, string? clientId = ClientId)
    {
        if (clientId is not null)
        {
            form["client_id"] = clientId;
        }
        form["client_secret"] = "emulated";
        return http.PostAsync("/graph/organizations/oauth2/v2.0/token", new FormUrlEncodedContent(form));
    }

    private static async Task<(HttpStatusCode, string, int)> ErrorAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var code = body.GetProperty("error_codes")[0].GetInt32();
        Assert.StartsWith($"AADSTS{code}:", body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        Assert.True(Guid.TryParse(body.GetProperty("trace_id").GetString(), out _));
        return (response.StatusCode, body.GetProperty("error").GetString()!, code);
    }

    private static string NewVerifier() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    private static string Challenge(string verifier) => WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
}
