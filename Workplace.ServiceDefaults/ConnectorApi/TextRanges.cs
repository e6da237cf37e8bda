namespace Workplace.ServiceDefaults.ConnectorApi;

/// <summary>How a document is cut into ranges, the same way wherever a piece of one is handed out.</summary>
public static class TextRanges
{
    /// <summary>
    /// Where a range of at most <paramref name="maxChars"/> from <paramref name="offset"/> ends: never inside a
    /// surrogate pair, so consecutive ranges join to exactly the whole text.
    /// </summary>
    public static int End(string text, int offset, int maxChars)
    {
        ArgumentNullException.ThrowIfNull(text);
        var end = (int)Math.Min((long)offset + maxChars, text.Length);
        return end < text.Length && end > offset && char.IsHighSurrogate(text[end - 1]) ? end - 1 : end;
    }
}
