using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Workplace.Tests.Emulators.Notion;

public sealed class NotionOAuthTests
{
    private const string RedirectUri = "http://127.0.0.1:5175/connect/notion/callback";
    private const string Verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-and-some-more-entropy";

    [Fact]
    public async Task AnAuthorizationCode_WithPkce_IsExchangedOnce_ForTheSignedInUsersTokens()
    {
        await using var emulators = new EmulatorsHost();
        using var notion = new NotionCalls(emulators.BaseAddress);

        var (code, state) = await AuthorizeAsync(notion, "renata", NotionOAuthChallenge(Verifier));
        var (status, token) = await ExchangeAsync(notion, new { grant_type = "authorization_code", code, redirect_uri = RedirectUri, code_verifier = Verifier });
        var (replayStatus, replay) = await ExchangeAsync(notion, new { grant_type = "authorization_code", code, redirect_uri = RedirectUri, code_verifier = Verifier });

        Assert.Equal("st-42", state);
        Assert.Equal(200, status);
        Assert.Equal("bearer", token["token_type"]!.GetValue<string>());
        Assert.Equal(3600, token["expires_in"]!.GetValue<int>());
        Assert.Equal("renata.vashti@halcyon-robotics.example", token["owner"]!["user"]!["person"]!["email"]!.GetValue<string>());
        Assert.Equal("Halcyon Robotics", token["workspace_name"]!.GetValue<string>());
        Assert.StartsWith("nrt_", token["refresh_token"]!.GetValue<string>(), StringComparison.Ordinal);
        var pages = await notion.SearchAllAsync(token["access_token"]!.GetValue<string>(), "pipeline");
        Assert.Equal(["Q2 pipeline scratchpad"], pages.Select(NotionCalls.Title));
        Assert.Equal(400, replayStatus);
        Assert.Equal("invalid_grant", replay["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task AWrongOrMissingVerifier_IsRefused_AndUsesTheCodeUp()
    {
        await using var emulators = new EmulatorsHost();
        using var notion = new NotionCalls(emulators.BaseAddress);

        var (code, _) = await AuthorizeAsync(notion, "aditi", NotionOAuthChallenge(Verifier));
        var (wrongStatus, wrong) = await ExchangeAsync(notion, new { grant_type = "authorization_code", code, redirect_uri = RedirectUri, code_verifier = Verifier + "x" });
        var (afterStatus, _) = await ExchangeAsync(notion, new { grant_type = "authorization_code", code, redirect_uri = RedirectUri, code_verifier = Verifier });
        var (other, _) = await AuthorizeAsync(notion, "aditi", NotionOAuthChallenge(Verifier));
        var (missingStatus, missing) = await ExchangeAsync(notion, new { grant_type = "authorization_code", code = other, redirect_uri = RedirectUri });
        var (third, _) = await AuthorizeAsync(notion, "aditi", NotionOAuthChallenge(Verifier));
        var (redirectStatus, redirect) = await ExchangeAsync(notion, new { grant_type = "authorization_code", code = third, redirect_uri = "http://127.0.0.1:9/elsewhere", code_verifier = Verifier });

        Assert.Equal(400, wrongStatus);
        Assert.Equal("invalid_grant", wrong["error"]!.GetValue<string>());
        Assert.Equal(400, afterStatus);
        Assert.Equal(400, missingStatus);
        Assert.Equal("invalid_grant", missing["error"]!.GetValue<string>());
        Assert.Equal(400, redirectStatus);
        Assert.Contains("redirect_uri", redirect["error_description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_RotatesTheRefreshToken_AndTheOldOneIsInvalidGrant()
    {
        await using var emulators = new EmulatorsHost();
        using var notion = new NotionCalls(emulators.BaseAddress);
        var first = await notion.GrantAsync("priya");
        var refreshToken = first["refresh_token"]!.GetValue<string>();

        var (status, refreshed) = await ExchangeAsync(notion, new { grant_type = "refresh_token", refresh_token = refreshToken });
        var (reuseStatus, reuse) = await ExchangeAsync(notion, new { grant_type = "refresh_token", refresh_token = refreshToken });

        Assert.Equal(200, status);
        Assert.NotEqual(refreshToken, refreshed["refresh_token"]!.GetValue<string>());
        Assert.Equal(first["bot_id"]!.GetValue<string>(), refreshed["bot_id"]!.GetValue<string>());
        Assert.NotEmpty(await notion.SearchAllAsync(refreshed["access_token"]!.GetValue<string>(), "compensation"));
        Assert.Equal(400, reuseStatus);
        Assert.Equal("invalid_grant", reuse["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task ARevokedGrant_RefusesItsAccessToken_AndItsRefreshIsInvalidGrant()
    {
        await using var emulators = new EmulatorsHost();
        using var notion = new NotionCalls(emulators.BaseAddress);
        var byFault = await notion.GrantAsync("aditi");
        var byRevoke = await notion.GrantAsync("renata");
        using var fault = await notion.Http.PostAsJsonAsync("/admin/faults/notion", new { kind = "RevokedGrant", user = "aditi" });

        NotionCalls.AssertError(401, "unauthorized", await notion.PostAsync("search", byFault["access_token"]!.GetValue<string>(), "{}"));
        var (faultRefresh, faultBody) = await ExchangeAsync(notion, new { grant_type = "refresh_token", refresh_token = byFault["refresh_token"]!.GetValue<string>() });
        var revoked = await PostBasicAsync(notion, "oauth/revoke", new { token = byRevoke["access_token"]!.GetValue<string>() });
        NotionCalls.AssertError(401, "unauthorized", await notion.PostAsync("search", byRevoke["access_token"]!.GetValue<string>(), "{}"));
        var (revokedRefresh, revokedBody) = await ExchangeAsync(notion, new { grant_type = "refresh_token", refresh_token = byRevoke["refresh_token"]!.GetValue<string>() });

        Assert.Equal(HttpStatusCode.NoContent, fault.StatusCode);
        Assert.Equal(400, faultRefresh);
        Assert.Equal("invalid_grant", faultBody["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(400, revokedRefresh);
        Assert.Equal("invalid_grant", revokedBody["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnAccessToken_ExpiresAfterExpiresIn_AndRefreshGivesAWorkingOne()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 4, 9, 0, 0, TimeSpan.Zero));
        await using var emulators = new EmulatorsHost { ConfigureServices = services => services.AddSingleton<TimeProvider>(time) };
        using var notion = new NotionCalls(emulators.BaseAddress);
        var grant = await notion.GrantAsync("aditi");
        var access = grant["access_token"]!.GetValue<string>();

        time.Advance(TimeSpan.FromSeconds(grant["expires_in"]!.GetValue<int>() - 1));
        var (beforeStatus, _, _) = await notion.PostAsync("search", access, "{}");
        time.Advance(TimeSpan.FromSeconds(1));
        var after = await notion.PostAsync("search", access, "{}");
        var (_, refreshed) = await ExchangeAsync(notion, new { grant_type = "refresh_token", refresh_token = grant["refresh_token"]!.GetValue<string>() });

        Assert.Equal(200, beforeStatus);
        NotionCalls.AssertError(401, "unauthorized", after);
        Assert.Equal(200, (await notion.PostAsync("search", refreshed["access_token"]!.GetValue<string>(), "{}")).Status);
    }

    [Fact]
    public async Task TheTokenEndpoint_RefusesBadClientsAndRequests_AndCountsEveryCall()
    {
        await using var emulators = new EmulatorsHost();
        using var notion = new NotionCalls(emulators.BaseAddress);
        var grant = await notion.GrantAsync("aditi");
        var refresh = new { grant_type = "refresh_token", refresh_token = grant["refresh_token"]!.GetValue<string>() };

        using var anonymous = await notion.Http.PostAsJsonAsync("/notion/v1/oauth/token", refresh);
        var (wrongSecretStatus, wrongSecret) = await ExchangeAsync(notion, refresh, NotionCalls.ClientSecret + "x");
        var (unsupportedStatus, unsupported) = await ExchangeAsync(notion, new { grant_type = "client_credentials" });
        var (missingStatus, missing) = await ExchangeAsync(notion, new { grant_type = "authorization_code", redirect_uri = RedirectUri });
        var notJson = await PostBasicAsync(notion, "oauth/token", "grant_type=refresh_token");
        var stats = await notion.Http.GetFromJsonAsync<JsonObject>("/admin/notion/stats");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("invalid_client", JsonNode.Parse(await anonymous.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
        Assert.Equal(401, wrongSecretStatus);
        Assert.Equal("invalid_client", wrongSecret["error"]!.GetValue<string>());
        Assert.Equal(400, unsupportedStatus);
        Assert.Equal("unsupported_grant_type", unsupported["error"]!.GetValue<string>());
        Assert.Equal(400, missingStatus);
        Assert.Equal("invalid_request", missing["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal(5, stats!["tokenRequests"]!.GetValue<int>());
    }

    [Fact]
    public async Task TheAuthorizeEndpoint_RefusesAnUnknownClient_AMissingUser_AndAPlainChallenge()
    {
        await using var emulators = new EmulatorsHost();
        using var notion = new NotionCalls(emulators.BaseAddress);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = emulators.BaseAddress };
        string Url(string clientId, string? user, string method) => QueryHelpers.AddQueryString("/notion/v1/oauth/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = clientId,
            ["redirect_uri"] = RedirectUri,
            ["response_type"] = "code",
            ["owner"] = "user",
            ["state"] = "s",
            ["code_challenge"] = NotionOAuthChallenge(Verifier),
            ["code_challenge_method"] = method,
            ["login_hint"] = user,
        });

        using var unknownClient = await http.GetAsync(Url("someone-else", "aditi", "S256"));
        using var noUser = await http.GetAsync(Url(NotionCalls.ClientId, null, "S256"));
        using var plain = await http.GetAsync(Url(NotionCalls.ClientId, "aditi", "plain"));

        Assert.Equal(HttpStatusCode.BadRequest, unknownClient.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noUser.StatusCode);
        Assert.Contains("login_hint", await noUser.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, plain.StatusCode);
        var refused = QueryHelpers.ParseQuery(plain.Headers.Location!.Query);
        Assert.Equal("invalid_request", refused["error"].ToString());
        Assert.Equal("s", refused["state"].ToString());
    }

    private static string NotionOAuthChallenge(string verifier) => Workplace.Emulators.Notion.NotionOAuth.Challenge(verifier);

    private static async Task<(string Code, string State)> AuthorizeAsync(NotionCalls notion, string user, string challenge)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = notion.Http.BaseAddress };
        var url = QueryHelpers.AddQueryString("/notion/v1/oauth/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = NotionCalls.ClientId,
            ["redirect_uri"] = RedirectUri,
            ["response_type"] = "code",
            ["owner"] = "user",
            ["state"] = "st-42",
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
            ["login_hint"] = user,
        });
        using var response = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(RedirectUri, location.ToString(), StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(location.Query);
        return (query["code"].ToString(), query["state"].ToString());
    }

    private static async Task<(int Status, JsonObject Body)> ExchangeAsync(NotionCalls notion, object body, string secret = NotionCalls.ClientSecret)
    {
        using var response = await PostBasicAsync(notion, "oauth/token", body, secret);
        return ((int)response.StatusCode, (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private static async Task<HttpResponseMessage> PostBasicAsync(NotionCalls notion, string path, object body, string secret = NotionCalls.ClientSecret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/notion/v1/" + path)
        {
            Content = body is string text ? new StringContent(text, Encoding.UTF8, "application/x-www-form-urlencoded") : JsonContent.Create(body),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{NotionCalls.ClientId}:{secret}")));
        return await notion.Http.SendAsync(request);
    }
}
