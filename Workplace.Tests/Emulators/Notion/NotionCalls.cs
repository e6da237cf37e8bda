using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Workplace.Tests.Emulators.Notion;

/// <summary>Plain HTTP calls to the Notion emulator, the way a connector makes them.</summary>
public sealed class NotionCalls(Uri baseAddress) : IDisposable
{
    private readonly HttpClient http = new() { BaseAddress = baseAddress };

    public const string Version = "2025-09-03";
    public const string ClientId = "workplace-notion-client";
    public const string ClientSecret = "workplace-notion-secret";

    public HttpClient Http => http;

    public void Dispose() => http.Dispose();

    /// <summary>A new grant's token response for <paramref name="user"/>, through the admin shortcut.</summary>
    public async Task<JsonObject> GrantAsync(string user)
    {
        using var response = await http.PostAsJsonAsync("/admin/notion/grants", new { user });
        response.EnsureSuccessStatusCode();
        return (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    public async Task<string> TokenAsync(string user) => (await GrantAsync(user))["access_token"]!.GetValue<string>();

    public Task<(int Status, JsonObject Body, HttpResponseMessage Response)> GetAsync(string path, string? token, string? version = Version) =>
        SendAsync(HttpMethod.Get, path, token, null, version);

    public Task<(int Status, JsonObject Body, HttpResponseMessage Response)> PostAsync(string path, string? token, string? body, string? version = Version) =>
        SendAsync(HttpMethod.Post, path, token, body, version);

    public async Task<(int Status, JsonObject Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, string? token, string? body, string? version = Version)
    {
        using var request = new HttpRequestMessage(method, "/notion/v1/" + path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (version is not null)
        {
            request.Headers.Add("Notion-Version", version);
        }
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, (JsonObject)JsonNode.Parse(text)!, response);
    }

    /// <summary>Every search result for <paramref name="query"/> that the token's user sees, following the cursors.</summary>
    public async Task<List<JsonObject>> SearchAllAsync(string token, string query, int pageSize = 100, string? filter = null)
    {
        var results = new List<JsonObject>();
        string? cursor = null;
        do
        {
            var body = new JsonObject { ["query"] = query, ["page_size"] = pageSize };
            if (cursor is not null)
            {
                body["start_cursor"] = cursor;
            }
            if (filter is not null)
            {
                body["filter"] = new JsonObject { ["property"] = "object", ["value"] = filter };
            }
            var (status, list, _) = await PostAsync("search", token, body.ToJsonString());
            Assert.Equal(200, status);
            results.AddRange(list["results"]!.AsArray().Select(r => (JsonObject)r!));
            cursor = list["has_more"]!.GetValue<bool>() ? list["next_cursor"]!.GetValue<string>() : null;
        }
        while (cursor is not null);
        return results;
    }

    /// <summary>Every child of a block, following the cursors.</summary>
    public async Task<List<JsonObject>> ChildrenAsync(string token, string blockId, int pageSize = 100)
    {
        var results = new List<JsonObject>();
        string? cursor = null;
        do
        {
            var (status, list, _) = await GetAsync($"blocks/{blockId}/children?page_size={pageSize}" + (cursor is null ? "" : "&start_cursor=" + cursor), token);
            Assert.Equal(200, status);
            results.AddRange(list["results"]!.AsArray().Select(r => (JsonObject)r!));
            cursor = list["has_more"]!.GetValue<bool>() ? list["next_cursor"]!.GetValue<string>() : null;
        }
        while (cursor is not null);
        return results;
    }

    public static string Title(JsonObject pageOrDataSource) =>
        pageOrDataSource["object"]!.GetValue<string>() == "page"
            ? string.Concat(((JsonObject)pageOrDataSource["properties"]!).Select(p => p.Value!).Single(p => p["type"]!.GetValue<string>() == "title")["title"]!.AsArray().Select(t => t!["plain_text"]!.GetValue<string>()))
            : string.Concat(pageOrDataSource["title"]!.AsArray().Select(t => t!["plain_text"]!.GetValue<string>()));

    /// <summary>The plain text of a block: its rich text, or a table row's cells joined by spaces.</summary>
    public static string Text(JsonObject block)
    {
        static string Plain(JsonArray richText) => string.Concat(richText.Select(t => t!["plain_text"]!.GetValue<string>()));
        var content = block[block["type"]!.GetValue<string>()]!;
        return content["rich_text"] is JsonArray richText ? Plain(richText)
            : content["cells"] is JsonArray cells ? string.Join(' ', cells.Select(c => Plain(c!.AsArray())))
            : "";
    }

    public static void AssertError(int expectedStatus, string expectedCode, (int Status, JsonObject Body, HttpResponseMessage Response) answer)
    {
        Assert.Equal(expectedStatus, answer.Status);
        Assert.Equal("error", answer.Body["object"]!.GetValue<string>());
        Assert.Equal(expectedStatus, answer.Body["status"]!.GetValue<int>());
        Assert.Equal(expectedCode, answer.Body["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(answer.Body["message"]!.GetValue<string>()));
        Assert.True(Guid.TryParse(answer.Body["request_id"]!.GetValue<string>(), out _));
    }
}
