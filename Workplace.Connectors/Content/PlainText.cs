using System.Text;

namespace Workplace.Connectors.Content;

public static class PlainText
{
    /// <summary>Reads text (UTF-8 unless a byte-order mark says otherwise) with line endings normalised to \n.</summary>
    public static string Read(Stream content)
    {
        using var reader = new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd().ReplaceLineEndings("\n");
    }
}

public static class MarkdownText
{
    /// <summary>Markdown is served as written; its title is the first level-1 ATX heading.</summary>
    public static ConvertedDocument Read(Stream content)
    {
        var markdown = PlainText.Read(content);
        string? title = null;
        var inFence = false;
        foreach (var line in markdown.AsSpan().EnumerateLines())
        {
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("```") || trimmed.StartsWith("~~~"))
            {
                inFence = !inFence;
            }
            else if (!inFence && line.StartsWith("# "))
            {
                title = line[2..].Trim().TrimEnd('#').Trim().ToString();
                break;
            }
        }
        return new ConvertedDocument(string.IsNullOrEmpty(title) ? null : title, markdown);
    }
}
