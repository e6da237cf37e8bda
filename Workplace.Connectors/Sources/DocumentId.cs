namespace Workplace.Connectors.Sources;

/// <summary>A document id as the edge passes it: `{source}:{native}`; the native part is the source's business.</summary>
public static class DocumentId
{
    /// <summary>Ids longer than this are refused before any source sees them.</summary>
    public const int MaxLength = 2048;

    public static string Create(string source, string native) => $"{source}:{native}";

    public static bool TryParse(string id, out string source, out string native)
    {
        var colon = id.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || id.Length > MaxLength)
        {
            source = native = "";
            return false;
        }
        source = id[..colon];
        native = id[(colon + 1)..];
        return true;
    }
}
