using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Flows;
using Google.Apis.Auth.OAuth2.Responses;
using Microsoft.AspNetCore.WebUtilities;

namespace Workplace.Tests.Emulators.Google;

/// <summary>Google's OAuth as the emulator plays it: code with PKCE, single-use codes, refresh without rotation, revoke.</summary>
[Collection(GoogleEmulatorCollection.Name)]
public sealed class GoogleOAuthTests(EmulatorsHost emulators)
{
    public const string ClientId = "workplace-emulated.apps.googleusercontent.com";
    public const string ClientSecret = "emulated-google-client-secret";
    private const string RedirectUri = "http://127.0.0.1:5000/connect/google/callback";
    private const string Scope = "https://www.googleapis.com/auth/drive.readonly";

    [Fact]
    public async Task ACodeWithPkce_ExchangesOnce_ForTokensThatReadDrive()
    {
        using var http = NoRedirects(emulators);
        var verifier = NewVerifier();

        var code = await AuthorizeAsync(http, "aditi", Challenge(verifier), state: "st-1");
        using var exchanged = await ExchangeAsync(http, code, verifier);
        using var replayed = await ExchangeAsync(http, code, verifier);

        Assert.Equal(HttpStatusCode.OK, exchanged.StatusCode);
        using var token = JsonDocument.Parse(await exchanged.Content.ReadAsStringAsync());
        var root = token.RootElement;
        Assert.Equal("Bearer", root.GetProperty("token_type").GetString());
        Assert.Equal(3599, root.GetProperty("expires_in").GetInt32());
        Assert.Equal(Scope, root.GetProperty("scope").GetString());
        Assert.StartsWith("1//", root.GetProperty("refresh_token").GetString(), StringComparison.Ordinal);
        using var drive = new HttpClient { BaseAddress = new Uri(emulators.BaseAddress, "/google/drive/v3/") };
        drive.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", root.GetProperty("access_token").GetString());
        using var files = await drive.GetAsync("files?q=" + Uri.EscapeDataString("name contains 'Fleet Console'"));
        Assert.Equal(HttpStatusCode.OK, files.StatusCode);
        Assert.Contains("Fleet Console architecture notes", await files.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertOAuthError(replayed, HttpStatusCode.BadRequest, "invalid_grant", "Bad Request");
    }

    [Fact]
    public async Task TheWrongVerifier_OrNone_IsRefused_AndTheCodeIsSpent()
    {
        using var http = NoRedirects(emulators);
        var verifier = NewVerifier();

        var first = await AuthorizeAsync(http, "renata", Challenge(verifier));
        using var wrong = await ExchangeAsync(http, first, NewVerifier());
        using var rightAfterWrong = await ExchangeAsync(http, first, verifier);
        var second = await AuthorizeAsync(http, "renata", Challenge(verifier));
        using var none = await ExchangeAsync(http, second, verifier: null);

        await AssertOAuthError(wrong, HttpStatusCode.BadRequest, "invalid_grant", "Invalid code verifier.");
        await AssertOAuthError(rightAfterWrong, HttpStatusCode.BadRequest, "invalid_grant", "Bad Request");
        await AssertOAuthError(none, HttpStatusCode.BadRequest, "invalid_grant", "Missing code verifier.");
    }

    [Fact]
    public async Task TheTokenEndpoint_ChecksClientRedirectAndGrantType()
    {
        using var http = NoRedirects(emulators);
        var verifier = NewVerifier();
        var code = await AuthorizeAsync(http, "priya", Challenge(verifier));

        using var badSecret = await http.PostAsync("/google/token", Form(("grant_type", "authorization_code"), ("code", code), ("client_id", ClientId), ("client_secret", "guess"), ("redirect_uri", RedirectUri), ("code_verifier", verifier)));
        using var otherRedirect = await http.PostAsync("/google/token", Form(("grant_type", "authorization_code"), ("code", code), ("client_id", ClientId), ("client_secret", ClientSecret), ("redirect_uri", "http://127.0.0.1:5000/elsewhere"), ("code_verifier", verifier)));
        using var badGrantType = await http.PostAsync("/google/token", Form(("grant_type", "password"), ("client_id", ClientId), ("client_secret", ClientSecret)));
        using var json = await http.PostAsync("/google/token", JsonContent.Create(new { grant_type = "refresh_token" }));

        await AssertOAuthError(badSecret, HttpStatusCode.Unauthorized, "invalid_client", "The OAuth client was not found.");
        await AssertOAuthError(otherRedirect, HttpStatusCode.BadRequest, "redirect_uri_mismatch", "Bad Request");
        await AssertOAuthError(badGrantType, HttpStatusCode.BadRequest, "unsupported_grant_type", "Invalid grant_type: password");
        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
    }

    [Fact]
    public async Task TheAuthorizationEndpoint_RefusesAnUnknownClient_AndAnUnknownUser_WithoutRedirecting()
    {
        using var http = NoRedirects(emulators);

        using var unknownClient = await http.GetAsync(AuthorizeUrl("aditi", "x", clientId: "someone-else"));
        using var unknownUser = await http.GetAsync(AuthorizeUrl("mallory", "x"));
        using var badResponseType = await http.GetAsync(AuthorizeUrl("aditi", "x", responseType: "token", state: "s"));

        Assert.Equal(HttpStatusCode.Unauthorized, unknownClient.StatusCode);
        Assert.Contains("invalid_client", await unknownClient.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unknownUser.StatusCode);
        Assert.Contains("login_hint", await unknownUser.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, badResponseType.StatusCode);
        var query = QueryHelpers.ParseQuery(badResponseType.Headers.Location!.Query);
        Assert.Equal(("unsupported_response_type", "s"), (query["error"].ToString(), query["state"].ToString()));
    }

    [Fact]
    public async Task Refresh_GivesANewAccessToken_KeepsTheRefreshToken_AndEndsWithRevoke()
    {
        using var aditi = await GoogleSession.SignInAsync(emulators, "aditi");
        using var http = NoRedirects(emulators);
        var before = await http.GetFromJsonAsync<JsonElement>("/admin/google/stats");

        using var refreshed = await RefreshAsync(emulators, aditi.RefreshToken);
        using var refreshedBody = JsonDocument.Parse(await refreshed.Content.ReadAsStringAsync());
        var newAccess = refreshedBody.RootElement.GetProperty("access_token").GetString()!;
        using var revoked = await http.PostAsync("/google/revoke", Form(("token", aditi.RefreshToken)));
        using var afterRevoke = await RefreshAsync(emulators, aditi.RefreshToken);
        using var drive = new HttpClient { BaseAddress = new Uri(emulators.BaseAddress, "/google/drive/v3/") };
        drive.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", newAccess);
        using var read = await drive.GetAsync("files");
        using var revokedAgain = await http.PostAsync("/google/revoke", Form(("token", aditi.RefreshToken)));
        var stats = await http.GetFromJsonAsync<JsonElement>("/admin/google/stats");

        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.NotEqual(aditi.AccessToken, newAccess);
        Assert.False(refreshedBody.RootElement.TryGetProperty("refresh_token", out _));
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        await AssertOAuthError(afterRevoke, HttpStatusCode.BadRequest, "invalid_grant", "Token has been expired or revoked.");
        Assert.Equal(HttpStatusCode.Unauthorized, read.StatusCode);
        await AssertOAuthError(revokedAgain, HttpStatusCode.BadRequest, "invalid_token", "Token expired or revoked");
        Assert.Equal(2, stats.GetProperty("tokenCalls").GetInt64() - before.GetProperty("tokenCalls").GetInt64());
        Assert.Equal(2, stats.GetProperty("refreshCalls").GetInt64() - before.GetProperty("refreshCalls").GetInt64());
    }

    [Fact]
    public async Task TwentyConcurrentRefreshes_AreAllCounted()
    {
        using var aditi = await GoogleSession.SignInAsync(emulators, "aditi");
        using var http = NoRedirects(emulators);
        var before = await http.GetFromJsonAsync<JsonElement>("/admin/google/stats");

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => RefreshAsync(emulators, aditi.RefreshToken)));
        var stats = await http.GetFromJsonAsync<JsonElement>("/admin/google/stats");

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(20, stats.GetProperty("refreshCalls").GetInt64() - before.GetProperty("refreshCalls").GetInt64());
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task GooglesOwnClientLibrary_ExchangesRefreshesAndRevokes_AgainstTheEmulator()
    {
        using var http = NoRedirects(emulators);
        var google = new Uri(emulators.BaseAddress, "/google/").ToString();
        using var flow = new PkceGoogleAuthorizationCodeFlow(new EmulatedGoogleInitializer(google)
        {
            ClientSecrets = new ClientSecrets { ClientId = ClientId, ClientSecret = ClientSecret },
            Scopes = [Scope],
            LoginHint = "aditi",
            Prompt = "consent",
        });

        var authorizeUrl = flow.CreateAuthorizationCodeRequest(RedirectUri, out var verifier).Build();
        using var consent = await http.GetAsync(authorizeUrl);
        var code = QueryHelpers.ParseQuery(consent.Headers.Location!.Query)["code"].ToString();
        var token = await flow.ExchangeCodeForTokenAsync("aditi", code, verifier, RedirectUri, CancellationToken.None);
        var refreshed = await flow.RefreshTokenAsync("aditi", token.RefreshToken, CancellationToken.None);
        await flow.RevokeTokenAsync("aditi", token.RefreshToken, CancellationToken.None);
        var refused = await Assert.ThrowsAsync<TokenResponseException>(() => flow.RefreshTokenAsync("aditi", token.RefreshToken, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Redirect, consent.StatusCode);
        Assert.Contains("access_type=offline", authorizeUrl.Query, StringComparison.Ordinal);
        Assert.Contains("code_challenge_method=S256", authorizeUrl.Query, StringComparison.Ordinal);
        Assert.Equal(3599, token.ExpiresInSeconds);
        Assert.NotNull(token.RefreshToken);
        Assert.NotEqual(token.AccessToken, refreshed.AccessToken);
        Assert.Equal(token.RefreshToken, refreshed.RefreshToken);
        Assert.Equal("invalid_grant", refused.Error.Error);
    }

    /// <summary>The library sets its three Google URLs only through this protected constructor; everything else is its own.</summary>
    private sealed class EmulatedGoogleInitializer(string google)
        : GoogleAuthorizationCodeFlow.Initializer(google + "o/oauth2/v2/auth", google + "token", google + "revoke");

    internal static async Task<HttpResponseMessage> RefreshAsync(EmulatorsHost emulators, string refreshToken)
    {
        using var http = new HttpClient { BaseAddress = emulators.BaseAddress };
        return await http.PostAsync("/google/token", Form(("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", ClientId), ("client_secret", ClientSecret)));
    }

    internal static async Task AssertOAuthError(HttpResponseMessage response, HttpStatusCode status, string error, string description)
    {
        Assert.Equal(status, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(error, body.RootElement.GetProperty("error").GetString());
        Assert.Equal(description, body.RootElement.GetProperty("error_description").GetString());
    }

    private static async Task<string> AuthorizeAsync(HttpClient http, string user, string challenge, string? state = null)
    {
        using var response = await http.GetAsync(AuthorizeUrl(user, challenge, state: state));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(RedirectUri, location.ToString(), StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(location.Query);
        if (state is not null)
        {
            Assert.Equal(state, query["state"].ToString());
        }
        return query["code"].ToString();
    }

    private static string AuthorizeUrl(string user, string challenge, string clientId = ClientId, string responseType = "code", string? state = null) =>
        QueryHelpers.AddQueryString("/google/o/oauth2/v2/auth", new Dictionary<string, string?>
        {
            ["client_id"] = clientId,
            ["redirect_uri"] = RedirectUri,
            ["response_type"] = responseType,
            ["scope"] = Scope,
            ["access_type"] = "offline",
            ["prompt"] = "consent",
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
            ["login_hint"] = user,
            ["state"] = state,
        }.Where(p => p.Value is not null));

    private static Task<HttpResponseMessage> ExchangeAsync(HttpClient http, string code, string? verifier) =>
        http.PostAsync("/google/token", Form([("grant_type", "authorization_code"), ("code", code), ("client_id", ClientId), ("client_secret", ClientSecret), ("redirect_uri", RedirectUri),
            .. verifier is null ? Array.Empty<(string, string)>() : [("code_verifier", verifier)]]));

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)));

    private static HttpClient NoRedirects(EmulatorsHost emulators) =>
        new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = emulators.BaseAddress };

    private static string NewVerifier() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    private static string Challenge(string verifier) => WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
}
