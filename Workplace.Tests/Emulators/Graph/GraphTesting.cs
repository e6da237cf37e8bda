using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Workplace.Tests.Emulators.Graph;

/// <summary>What the Graph emulator tests share: a signed-in user's client and a search call as the wire has it.</summary>
internal static class GraphTesting
{
    /// <summary>A token for <paramref name="user"/> through the admin shortcut, as the AppHost's development user gets one.</summary>
    public static async Task<JsonElement> GrantAsync(this EmulatorsHost emulators, string user, string? scope = null)
    {
        using var admin = new HttpClient { BaseAddress = emulators.BaseAddress };
        using var response = await admin.PostAsJsonAsync("/admin/graph/grants", new { user, scope });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<HttpClient> ClientForAsync(this EmulatorsHost emulators, string user, string? scope = null)
    {
        var grant = await emulators.GrantAsync(user, scope);
        return emulators.ClientWithToken(grant.GetProperty("access_token").GetString()!);
    }

    public static HttpClient ClientWithToken(this EmulatorsHost emulators, string accessToken)
    {
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(emulators.BaseAddress, "/graph/v1.0/"),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return http;
    }

    public static Task<HttpResponseMessage> SearchAsync(this HttpClient http, string queryString, int from = 0, int size = 25) =>
        http.PostAsJsonAsync("search/query", new
        {
            requests = new[] { new { entityTypes = new[] { "driveItem" }, query = new { queryString }, from, size } },
        });

    public static async Task<JsonElement> HitsContainerAsync(this HttpResponseMessage response)
    {
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("value")[0].GetProperty("hitsContainers")[0];
    }

    public static IReadOnlyList<JsonElement> Hits(this JsonElement container) =>
        container.TryGetProperty("hits", out var hits) ? [.. hits.EnumerateArray()] : [];

    public static IReadOnlyList<string> Names(this JsonElement container) =>
        [.. container.Hits().Select(h => h.GetProperty("resource").GetProperty("name").GetString()!)];

    /// <summary>Asserts Graph's error shape and answers its code.</summary>
    public static async Task<string> ErrorCodeAsync(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var error = body.GetProperty("error");
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        var inner = error.GetProperty("innerError");
        Assert.True(Guid.TryParse(inner.GetProperty("request-id").GetString(), out _));
        Assert.True(DateTime.TryParse(inner.GetProperty("date").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
        return error.GetProperty("code").GetString()!;
    }
}
