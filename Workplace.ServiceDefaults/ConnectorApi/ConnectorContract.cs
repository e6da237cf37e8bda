using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workplace.ServiceDefaults.ConnectorApi;

// The internal HTTP contract between mcpapi and connectors. It lives in the one library both services
// reference so the two sides cannot drift apart.
//
//   GET  /internal/v1/sources                               -> SourceList
//   POST /internal/v1/sources/{source}/search  SearchRequest -> SearchResponse
//   GET  /internal/v1/documents?id=&offset=&max_chars=       -> DocumentRange
//
// Every call carries `Authorization: Bearer <internal assertion>` (InternalAssertion); errors are
// RFC 9457 problem details: 400 bad input, 401 no or bad assertion, 403 source not granted, 404 unknown
// source or document, 429 provider rate limit (Retry-After), 502 provider failure.

public static class ConnectorRoutes
{
    public const string Sources = "/internal/v1/sources";
    public const string Documents = "/internal/v1/documents";

    public static string Search(string source) => $"/internal/v1/sources/{Uri.EscapeDataString(source)}/search";
}

public sealed record SourceDescriptor(string Id, string Title, string Description, bool RequiresConnection);

public sealed record SourceList(IReadOnlyList<SourceDescriptor> Sources);

public sealed record SearchRequest(string Query, int MaxResults, bool IncludeContent, DateTimeOffset? ModifiedAfter);

public sealed record SearchHit(
    string Id,
    string Source,
    string Title,
    string Url,
    string Snippet,
    DateTimeOffset Modified,
    string? Author,
    string? MimeType,
    double Score,
    string? Content);

public sealed record SearchResponse(IReadOnlyList<SearchHit> Results);

public sealed record DocumentRange(
    string Id,
    string Source,
    string Title,
    string Url,
    DateTimeOffset Modified,
    string? MimeType,
    string Content,
    int Offset,
    int TotalChars,
    int? NextOffset,
    bool Truncated);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SourceList))]
[JsonSerializable(typeof(SearchRequest))]
[JsonSerializable(typeof(SearchResponse))]
[JsonSerializable(typeof(DocumentRange))]
public sealed partial class ConnectorJsonContext : JsonSerializerContext;
