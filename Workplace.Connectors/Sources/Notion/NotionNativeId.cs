namespace Workplace.Connectors.Sources.Notion;

public enum NotionObjectKind
{
    Page,
    DataSource,
}

/// <summary>
/// The native part of a `notion:` id: a page's UUID (`notion:{uuid}`), or a database's data source (`notion:ds-{uuid}`).
/// Notion takes UUIDs with or without dashes; anything else is refused before Notion is called.
/// </summary>
public static class NotionNativeId
{
    private const string DataSourcePrefix = "ds-";

    public static string Page(Guid id) => id.ToString("D");

    public static string DataSource(Guid id) => DataSourcePrefix + id.ToString("D");

    /// <returns>The object named, or null (with the reason) when the id is not one this source issues.</returns>
    public static (NotionObjectKind Kind, Guid Id)? TryParse(string native, out string reason)
    {
        var kind = NotionObjectKind.Page;
        var uuid = native.AsSpan();
        if (uuid.StartsWith(DataSourcePrefix, StringComparison.Ordinal))
        {
            kind = NotionObjectKind.DataSource;
            uuid = uuid[DataSourcePrefix.Length..];
        }
        // "D" and "N" only: braces, parentheses, hex-prefixed groups and surrounding spaces are no Notion id.
        if (uuid.Length is 32 or 36 && (Guid.TryParseExact(uuid, "D", out var id) || Guid.TryParseExact(uuid, "N", out id)))
        {
            reason = "";
            return (kind, id);
        }
        reason = native.Length == 0 ? "the part after 'notion:' is empty" : "the part after 'notion:' is not a Notion page or database id (a UUID)";
        return null;
    }
}
