using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workplace.Connectors.Sources.Notion;

// The parts of Notion's API objects (version 2025-09-03) this source reads; Notion adds fields freely, so
// everything else is ignored.

/// <summary>A paginated list: search results, block children, data source rows.</summary>
public sealed record NotionList<T>(IReadOnlyList<T> Results, string? NextCursor, bool HasMore);

public sealed record NotionSearchRequest(string Query, int PageSize, string? StartCursor = null, NotionSort? Sort = null);

public sealed record NotionSort(string Timestamp, string Direction);

public sealed record NotionQueryRequest(int PageSize, string? StartCursor = null);

/// <summary>A search result's kind, before it is read as a page or a data source.</summary>
public sealed record NotionObjectHeader([property: JsonPropertyName("object")] string Kind);

public sealed record NotionPage(
    string Id,
    DateTimeOffset LastEditedTime,
    NotionUserReference? LastEditedBy,
    string? Url,
    bool InTrash,
    bool Archived,
    IReadOnlyDictionary<string, NotionProperty>? Properties)
{
    /// <summary>The text of the page's one title property, as one clean line (<see cref="ProviderText.Title"/>).</summary>
    public string Title => ProviderText.Title(Properties?.Values.FirstOrDefault(p => p?.Type == "title")?.Title is { } title ? NotionRichText.Plain(title) : null);
}

/// <summary>A page property; only the title property's value is read (other types hold other shapes under other names).</summary>
public sealed record NotionProperty(string Type, [property: JsonPropertyName("title")] JsonElement TitleValue)
{
    [JsonIgnore]
    public IReadOnlyList<NotionRichText>? Title =>
        TitleValue.ValueKind == JsonValueKind.Array ? TitleValue.Deserialize(NotionJsonContext.Default.IReadOnlyListNotionRichText) : null;
}

public sealed record NotionDataSource(
    string Id,
    DateTimeOffset LastEditedTime,
    NotionUserReference? LastEditedBy,
    string? Url,
    bool InTrash,
    bool Archived,
    IReadOnlyList<NotionRichText>? Title)
{
    public string Name => ProviderText.Title(Title is { } title ? NotionRichText.Plain(title) : null);
}

public sealed record NotionUserReference(string Id);

public sealed record NotionUser(string Id, string? Name);

/// <summary>One block; its content is the member named by <see cref="Type"/>, read by <see cref="Content"/>.</summary>
public sealed record NotionBlock(string Id, string Type, bool HasChildren)
{
    // Settable: the source generator sets init-only properties in the constructor call, where extension data cannot be.
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Members { get; set; }

    /// <summary>The block's typed content; empty for a type whose member is missing or not an object.</summary>
    public NotionBlockContent Content =>
        Members is not null && Type is not null && Members.TryGetValue(Type, out var member) && member.ValueKind == JsonValueKind.Object
            ? member.Deserialize(NotionJsonContext.Default.NotionBlockContent) ?? NotionBlockContent.Empty
            : NotionBlockContent.Empty;
}

/// <summary>The union of the members every block type this source renders carries.</summary>
public sealed record NotionBlockContent(
    IReadOnlyList<NotionRichText>? RichText = null,
    bool Checked = false,
    string? Language = null,
    IReadOnlyList<NotionRichText>? Caption = null,
    string? Url = null,
    string? Title = null,
    string? Expression = null,
    IReadOnlyList<IReadOnlyList<NotionRichText>>? Cells = null,
    bool HasColumnHeader = false,
    string? Type = null,
    NotionFileLocation? External = null,
    NotionFileLocation? File = null,
    string? Name = null,
    NotionIcon? Icon = null,
    string? PageId = null,
    string? DatabaseId = null)
{
    public static readonly NotionBlockContent Empty = new();
}

public sealed record NotionFileLocation(string? Url);

public sealed record NotionIcon(string? Type, string? Emoji);

/// <summary>One run of rich text: text, a mention or an inline equation.</summary>
public sealed record NotionRichText(string Type, string PlainText, string? Href, NotionAnnotations? Annotations, NotionEquation? Equation)
{
    public static string Plain(IEnumerable<NotionRichText?> runs) => string.Concat(runs.Select(r => r?.PlainText));
}

public sealed record NotionAnnotations(bool Bold, bool Italic, bool Strikethrough, bool Code);

public sealed record NotionEquation(string Expression);

/// <summary>Notion's error body: <c>{"object":"error","status","code","message"}</c>.</summary>
public sealed record NotionError(int Status, string? Code, string? Message);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(NotionSearchRequest))]
[JsonSerializable(typeof(NotionQueryRequest))]
[JsonSerializable(typeof(NotionList<JsonElement>))]
[JsonSerializable(typeof(NotionList<NotionBlock>))]
[JsonSerializable(typeof(NotionList<NotionPage>))]
[JsonSerializable(typeof(NotionObjectHeader))]
[JsonSerializable(typeof(NotionPage))]
[JsonSerializable(typeof(NotionDataSource))]
[JsonSerializable(typeof(NotionUser))]
[JsonSerializable(typeof(NotionBlockContent))]
[JsonSerializable(typeof(IReadOnlyList<NotionRichText>))]
[JsonSerializable(typeof(NotionError))]
public sealed partial class NotionJsonContext : JsonSerializerContext;
