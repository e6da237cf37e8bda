using System.Globalization;
using System.Net;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Markdig;

namespace Workplace.Emulators.Google.Workspace;

/// <summary>
/// The bytes of the sample files, made from their Markdown: uploads as .docx, .pdf, .html and .txt, and the exports
/// of Google Docs (Markdown, plain text, HTML).
/// </summary>
public static partial class DriveFileFormats
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    /// <summary>What a Google Doc exports to: the MIME types its export accepts.</summary>
    public static IReadOnlyList<string> DocumentExports { get; } = ["text/markdown", "text/plain", "text/html"];

    public static byte[] Export(string markdown, string mimeType) => mimeType switch
    {
        "text/markdown" => Encoding.UTF8.GetBytes(markdown),
        "text/plain" => Encoding.UTF8.GetBytes(PlainText(markdown)),
        "text/html" => Encoding.UTF8.GetBytes(Html("Export", markdown)),
        _ => throw new ArgumentOutOfRangeException(nameof(mimeType), mimeType, "Not an export format of Google Docs."),
    };

    public static byte[] Render(string mimeType, string name, string markdown) => mimeType switch
    {
        DriveMimeTypes.Docx => Docx(markdown),
        DriveMimeTypes.Pdf => Pdf(PlainText(markdown)),
        DriveMimeTypes.Html => Encoding.UTF8.GetBytes(Html(name, markdown)),
        DriveMimeTypes.Text => Encoding.UTF8.GetBytes(markdown),
        _ => [],
    };

    /// <summary>
    /// Text as a Google Doc exports it to text/plain: headings as plain lines, bullets as "* ", table rows as
    /// tab-separated cells, links as their text. (Markdig's plain-text renderer runs a table into one line.)
    /// </summary>
    public static string PlainText(string markdown)
    {
        var text = new StringBuilder(markdown.Length);
        foreach (var raw in markdown.Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.StartsWith('|'))
            {
                var cells = line.Trim('|').Split('|').Select(c => Inline(c.Trim())).ToArray();
                if (!cells.All(c => c.Length > 0 && c.All(ch => ch is '-' or ':')))
                {
                    text.AppendJoin('\t', cells).Append('\n');
                }
                continue;
            }
            var level = line.TakeWhile(c => c == '#').Count();
            line = level > 0 && line.Length > level && line[level] == ' ' ? line[(level + 1)..]
                : line.StartsWith("- ", StringComparison.Ordinal) ? "* " + line[2..]
                : line;
            text.Append(Inline(line)).Append('\n');
        }
        return text.ToString();
    }

    private static string Inline(string line) =>
        LinkPattern().Replace(line, "$1").Replace("**", "", StringComparison.Ordinal).Replace("`", "", StringComparison.Ordinal);

    [System.Text.RegularExpressions.GeneratedRegex(@"\[([^\]]*)\]\([^)]*\)")]
    private static partial System.Text.RegularExpressions.Regex LinkPattern();

    private static string Html(string title, string markdown) =>
        $"<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(title)}</title></head>\n<body>\n{Markdown.ToHtml(markdown, Pipeline)}</body>\n</html>\n";

    /// <summary>A Word document: headings in Heading styles, list items, tables as Word tables, the rest as paragraphs.</summary>
    private static byte[] Docx(string markdown)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            var body = new Body();
            Table? table = null;
            foreach (var raw in markdown.Split('\n'))
            {
                var line = raw.TrimEnd();
                if (line.StartsWith('|'))
                {
                    var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
                    if (cells.All(c => c.Length > 0 && c.All(ch => ch is '-' or ':')))
                    {
                        continue;
                    }
                    table ??= body.AppendChild(new Table(new TableProperties(new TableBorders(
                        new TopBorder { Val = BorderValues.Single }, new BottomBorder { Val = BorderValues.Single },
                        new InsideHorizontalBorder { Val = BorderValues.Single }, new InsideVerticalBorder { Val = BorderValues.Single }))));
                    table.AppendChild(new TableRow(cells.Select(c => new TableCell(new Paragraph(new Run(new Text(c) { Space = SpaceProcessingModeValues.Preserve }))))));
                    continue;
                }
                table = null;
                if (line.Length == 0)
                {
                    continue;
                }
                var level = line.TakeWhile(c => c == '#').Count();
                var paragraph = level is > 0 and <= 6
                    ? new Paragraph(new ParagraphProperties(new ParagraphStyleId { Val = $"Heading{level}" }), new Run(new Text(line[level..].Trim())))
                    : line.StartsWith("- ", StringComparison.Ordinal)
                        ? new Paragraph(new ParagraphProperties(new ParagraphStyleId { Val = "ListBullet" }), new Run(new Text(line[2..]) { Space = SpaceProcessingModeValues.Preserve }))
                        : new Paragraph(new Run(new Text(line) { Space = SpaceProcessingModeValues.Preserve }));
                body.AppendChild(paragraph);
            }
            main.Document = new Document(body);
            main.Document.Save();
        }
        return stream.ToArray();
    }

    /// <summary>
    /// A PDF 1.4 of plain text in Helvetica, 54 lines a page, written by hand: the registry's PDF libraries read PDFs
    /// but do not write them, and a text PDF needs only a page tree, one font and a content stream per page.
    /// </summary>
    private static byte[] Pdf(string text)
    {
        const int linesPerPage = 54;
        var lines = text.Split('\n').SelectMany(l => Wrap(ToWinAnsi(l.TrimEnd()), 95)).ToList();
        var pages = lines.Chunk(linesPerPage).ToList();
        if (pages.Count == 0)
        {
            pages.Add([string.Empty]);
        }

        var objects = new List<string>
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            $"<< /Type /Pages /Kids [{string.Join(' ', pages.Select((_, i) => $"{4 + (2 * i)} 0 R"))}] /Count {pages.Count} >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        };
        foreach (var page in pages)
        {
            var content = new StringBuilder("BT /F1 10 Tf 13 TL 56 760 Td\n");
            foreach (var line in page)
            {
                content.Append('(').Append(line.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("(", "\\(", StringComparison.Ordinal).Replace(")", "\\)", StringComparison.Ordinal)).Append(") Tj T*\n");
            }
            content.Append("ET");
            var contentNumber = objects.Count + 2;
            objects.Add($"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {contentNumber} 0 R >>");
            objects.Add($"<< /Length {Latin1(content.ToString()).Length} >>\nstream\n{content}\nendstream");
        }

        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Count; i++)
        {
            offsets.Add(Latin1(pdf.ToString()).Length);
            pdf.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }
        var xref = Latin1(pdf.ToString()).Length;
        pdf.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            pdf.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }
        pdf.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Latin1(pdf.ToString());
    }

    private static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);

    /// <summary>Helvetica's WinAnsi covers Latin-1; the few other characters of the samples get their nearest ASCII.</summary>
    private static string ToWinAnsi(string line) =>
        new(line.Select(c => c switch { '—' or '–' => '-', '’' => '\'', '“' or '”' => '"', '→' => '>', _ when c > 0xFF => '?', '\t' => ' ', _ => c }).ToArray());

    private static IEnumerable<string> Wrap(string line, int width)
    {
        if (line.Length <= width)
        {
            yield return line;
            yield break;
        }
        var current = new StringBuilder();
        foreach (var word in line.Split(' '))
        {
            if (current.Length > 0 && current.Length + 1 + word.Length > width)
            {
                yield return current.ToString();
                current.Clear();
            }
            if (current.Length > 0)
            {
                current.Append(' ');
            }
            current.Append(word);
        }
        yield return current.ToString();
    }
}
