using Workplace.ServiceDefaults.ConnectorApi;

namespace Workplace.Connectors.Sources;

public static class DocumentRanges
{
    /// <summary>
    /// Cuts <paramref name="markdown"/> to [offset, offset + maxChars), never inside a surrogate pair, and says
    /// whether more remains, so consecutive ranges join to exactly the whole document.
    /// </summary>
    public static DocumentRange Slice(string markdown, int offset, int maxChars, Func<string, int, int?, bool, DocumentRange> create)
    {
        if (offset > markdown.Length)
        {
            throw new SourceRequestException(SourceFailure.RangeOutOfBounds,
                $"offset {offset} is past the end of the document: total_chars is {markdown.Length}. Ask for an offset from 0 to {markdown.Length}.");
        }
        var end = TextRanges.End(markdown, offset, maxChars);
        var truncated = end < markdown.Length;
        return create(markdown[offset..end], markdown.Length, truncated ? end : null, truncated);
    }
}
