using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Workplace.ServiceDefaults.ConnectorApi;

namespace Workplace.Tests.Sources.GoogleDrive;

/// <summary>The internal API's google_drive calls, as mcpapi makes them.</summary>
public static class DriveCalls
{
    public static Task<HttpResponseMessage> SearchAsync(this HttpClient client, string query, int maxResults = 50, bool includeContent = false, DateTimeOffset? modifiedAfter = null) =>
        client.PostAsJsonAsync(ConnectorRoutes.Search(GoogleDriveFixture.Source), new Dictionary<string, object?>
        {
            ["query"] = query,
            ["max_results"] = maxResults,
            ["include_content"] = includeContent,
            ["modified_after"] = modifiedAfter,
        });

    /// <summary>A search that must succeed: its results.</summary>
    public static async Task<JsonElement[]> ResultsAsync(this HttpClient client, string query, int maxResults = 50, bool includeContent = false, DateTimeOffset? modifiedAfter = null)
    {
        using var response = await client.SearchAsync(query, maxResults, includeContent, modifiedAfter);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"search '{query}': {(int)response.StatusCode} {body}");
        using var json = JsonDocument.Parse(body);
        return [.. json.RootElement.GetProperty("results").EnumerateArray().Select(r => r.Clone())];
    }

    public static Task<HttpResponseMessage> FetchAsync(this HttpClient client, string id, int? offset = null, int? maxChars = null) =>
        client.GetAsync($"{ConnectorRoutes.Documents}?id={Uri.EscapeDataString(id)}"
            + (offset is null ? "" : $"&offset={offset}") + (maxChars is null ? "" : $"&max_chars={maxChars}"));

    /// <summary>A fetch that must succeed: the range.</summary>
    public static async Task<JsonElement> RangeAsync(this HttpClient client, string id, int? offset = null, int? maxChars = null)
    {
        using var response = await client.FetchAsync(id, offset, maxChars);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"fetch {id}: {(int)response.StatusCode} {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.Clone();
    }

    /// <summary>The whole document, fetched range after range until next_offset is null.</summary>
    public static async Task<string> WholeAsync(this HttpClient client, string id, int maxChars)
    {
        var text = new System.Text.StringBuilder();
        int? offset = 0;
        while (offset is { } at)
        {
            var range = await client.RangeAsync(id, at, maxChars);
            Assert.Equal(at, range.GetProperty("offset").GetInt32());
            text.Append(range.GetProperty("content").GetString());
            offset = range.GetProperty("next_offset").ValueKind == JsonValueKind.Null ? null : range.GetProperty("next_offset").GetInt32();
        }
        return text.ToString();
    }

    /// <summary>The problem detail of a refused call, after checking its status.</summary>
    public static async Task<string> ProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode} {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("detail").GetString()!;
    }
}
