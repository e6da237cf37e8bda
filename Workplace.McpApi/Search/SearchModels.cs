using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workplace.McpApi.Search;

/// <summary>
/// Validated search arguments. <see cref="Sources"/> null: every source the caller's token grants. <see cref="Cursor"/>:
/// the next_cursor of a previous page of the same search.
/// </summary>
public sealed record SearchArguments(string Query, IReadOnlyList<string>? Sources, int MaxResults, bool IncludeContent, DateTimeOffset? ModifiedAfter, string? Cursor = null);

public static class SourceStatusCodes
{
    public const string Ok = "ok";
    public const string Timeout = "timeout";
    public const string Error = "error";
    public const string RateLimited = "rate_limited";
    public const string Unauthorized = "unauthorized";
    public const string NotConnected = "not_connected";
    /// <summary>No connector serves the source on this server: only its operator can enable it.</summary>
    public const string NotDeployed = "not_deployed";
}

public sealed record SourceStatus(
    string Source,
    string Status,
    int Count,
    long LatencyMs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ConnectUrl = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? PausedUntil = null);

public sealed record SearchResultItem(
    string Id,
    string Source,
    string Title,
    string Url,
    string Snippet,
    DateTimeOffset Modified,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Author,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? MimeType,
    double Score,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? ContentTruncated,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ContentError = null);

// Immutable all the way down (records, read-only lists), and marked so: HybridCache then hands out the instance its
// in-process tier holds instead of deserializing a copy on every hit.
[ImmutableObject(true)]
public sealed record SearchOutcome(
    IReadOnlyList<SearchResultItem> Results,
    IReadOnlyList<SourceStatus> Sources,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NextCursor = null);

public sealed record FetchOutcome(
    string Id,
    string Source,
    string Title,
    string Url,
    DateTimeOffset Modified,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? MimeType,
    string Content,
    int Offset,
    int TotalChars,
    int? NextOffset,
    bool Truncated);

public sealed record SourceInfo(
    string Source,
    string Title,
    bool Granted,
    bool Connected,
    bool Emulated,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ConnectUrl,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? PausedUntil,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description);

public sealed record SourceListOutcome(IReadOnlyList<SourceInfo> Sources);

/// <summary>Wire shape of tool results and cached searches: snake_case, as the tool schemas declare.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SearchOutcome))]
[JsonSerializable(typeof(FetchOutcome))]
[JsonSerializable(typeof(SourceListOutcome))]
public sealed partial class WorkplaceJsonContext : JsonSerializerContext;
