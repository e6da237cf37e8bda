using System.Net;
using System.Net.Http.Headers;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Emulators.Google;

/// <summary>What Drive checks before it answers: the bearer token and its scopes, each refusal in Google's shape.</summary>
[Collection(GoogleEmulatorCollection.Name)]
public sealed class DriveAccessTests(EmulatorsHost emulators)
{
    [Fact]
    public async Task NoBearerToken_Is401LoginRequired()
    {
        using var http = new HttpClient { BaseAddress = new Uri(emulators.BaseAddress, "/google/drive/v3/") };

        using var response = await http.GetAsync("files");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        var error = await GoogleSession.ErrorOf(response);
        Assert.Equal("UNAUTHENTICATED", error.GetProperty("status").GetString());
        var item = Assert.Single(error.GetProperty("errors").EnumerateArray());
        Assert.Equal(("required", "Authorization", "header"), (item.GetProperty("reason").GetString(), item.GetProperty("location").GetString(), item.GetProperty("locationType").GetString()));
    }

    [Fact]
    public async Task AnUnknownToken_Is401AuthError()
    {
        using var http = new HttpClient { BaseAddress = new Uri(emulators.BaseAddress, "/google/drive/v3/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "ya29.forged");

        using var response = await http.GetAsync("files");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        var item = Assert.Single((await GoogleSession.ErrorOf(response)).GetProperty("errors").EnumerateArray());
        Assert.Equal(("authError", "Invalid Credentials"), (item.GetProperty("reason").GetString(), item.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task AMetadataScope_ListsAndReadsMetadata_ButNoContent()
    {
        using var aditi = await GoogleSession.SignInAsync(emulators, "aditi", "https://www.googleapis.com/auth/drive.metadata.readonly");
        var doc = await aditi.IdOfAsync("Northwind pilot demo script");
        var upload = await aditi.IdOfAsync("1-1 notes Ines Zamora.txt");

        var metadata = await aditi.GetJsonAsync($"files/{doc}?fields=name");
        using var export = await aditi.Http.GetAsync($"files/{doc}/export?mimeType=text/plain");
        using var media = await aditi.Http.GetAsync($"files/{upload}?alt=media");

        Assert.Equal("Northwind pilot demo script", metadata.GetProperty("name").GetString());
        await DriveFilesTests.AssertError(export, HttpStatusCode.Forbidden, "insufficientPermissions", "Request had insufficient authentication scopes.");
        await DriveFilesTests.AssertError(media, HttpStatusCode.Forbidden, "insufficientPermissions", "Request had insufficient authentication scopes.");
    }

    [Fact]
    public async Task ATokenWithoutADriveScope_IsRefused403()
    {
        using var aditi = await GoogleSession.SignInAsync(emulators, "aditi", "openid email");

        using var response = await aditi.Http.GetAsync("files");

        await DriveFilesTests.AssertError(response, HttpStatusCode.Forbidden, "insufficientPermissions", "Request had insufficient authentication scopes.");
        Assert.Equal("PERMISSION_DENIED", (await GoogleSession.ErrorOf(response)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task AnAccessToken_ExpiresAfterItsLifetime_AndTheRefreshedOneReads()
    {
        using var aditi = await GoogleSession.SignInAsync(emulators, "aditi", expiresIn: 1);
        using var first = await aditi.Http.GetAsync("files");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        await Poll.UntilAsync(async () =>
        {
            using var response = await aditi.Http.GetAsync("files");
            return response.StatusCode == HttpStatusCode.Unauthorized;
        }, TimeSpan.FromSeconds(10), "the one-second access token to expire");
        using var refreshed = await GoogleOAuthTests.RefreshAsync(emulators, aditi.RefreshToken);
        using var body = System.Text.Json.JsonDocument.Parse(await refreshed.Content.ReadAsStringAsync());
        using var drive = new HttpClient { BaseAddress = aditi.Http.BaseAddress };
        drive.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.RootElement.GetProperty("access_token").GetString());
        using var again = await drive.GetAsync("files");

        Assert.Equal(3599, body.RootElement.GetProperty("expires_in").GetInt32());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task TheGrantShortcut_RefusesAnUnknownUser()
    {
        using var admin = new HttpClient { BaseAddress = emulators.BaseAddress };

        using var response = await admin.PostAsync("/admin/google/grants", System.Net.Http.Json.JsonContent.Create(new { user = "mallory" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Unknown user 'mallory'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
