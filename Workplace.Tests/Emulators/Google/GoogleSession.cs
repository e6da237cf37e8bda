using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Workplace.Tests.Emulators.Google;

/// <summary>HTTP against the Google emulator as one signed-in user, with the token the admin shortcut grants.</summary>
public sealed class GoogleSession : IDisposable
{
    private GoogleSession(HttpClient http, string accessToken, string refreshToken)
    {
        Http = http;
        AccessToken = accessToken;
        RefreshToken = refreshToken;
    }

    public HttpClient Http { get; }

    public string AccessToken { get; }

    public string RefreshToken { get; }

    public static async Task<GoogleSession> SignInAsync(EmulatorsHost emulators, string user, string? scope = null, int? expiresIn = null)
    {
        using var admin = new HttpClient { BaseAddress = emulators.BaseAddress };
        using var granted = await admin.PostAsync("/admin/google/grants", JsonContent.Create(new { user, scope, expiresIn }));
        granted.EnsureSuccessStatusCode();
        using var token = JsonDocument.Parse(await granted.Content.ReadAsStringAsync());
        var accessToken = token.RootElement.GetProperty("access_token").GetString()!;
        var http = new HttpClient { BaseAddress = new Uri(emulators.BaseAddress, "/google/drive/v3/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return new GoogleSession(http, accessToken, token.RootElement.GetProperty("refresh_token").GetString()!);
    }

    /// <summary>A GET that must succeed, its body parsed.</summary>
    public async Task<JsonElement> GetJsonAsync(string relative)
    {
        using var response = await Http.GetAsync(relative);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {relative}: {(int)response.StatusCode} {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    /// <summary>files.list followed to its last page; the names and ids of every file, in order.</summary>
    public async Task<List<(string Id, string Name)>> ListAllAsync(string query)
    {
        var files = new List<(string, string)>();
        string? pageToken = null;
        do
        {
            var page = await GetJsonAsync($"files?{query}&fields=nextPageToken,files(id,name)" + (pageToken is null ? "" : $"&pageToken={Uri.EscapeDataString(pageToken)}"));
            files.AddRange(page.GetProperty("files").EnumerateArray().Select(f => (f.GetProperty("id").GetString()!, f.GetProperty("name").GetString()!)));
            pageToken = page.TryGetProperty("nextPageToken", out var next) ? next.GetString() : null;
        }
        while (pageToken is not null);
        return files;
    }

    /// <summary>The id of the file named <paramref name="name"/> that this user sees, across all drives.</summary>
    public async Task<string> IdOfAsync(string name)
    {
        var files = await ListAllAsync($"corpora=allDrives&includeItemsFromAllDrives=true&supportsAllDrives=true&q={Uri.EscapeDataString($"name = '{name.Replace("'", "\\'", StringComparison.Ordinal)}'")}");
        return Assert.Single(files).Id;
    }

    public static async Task<JsonElement> ErrorOf(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("error").Clone();
    }

    public void Dispose() => Http.Dispose();
}
