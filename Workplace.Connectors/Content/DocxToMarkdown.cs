using System.Globalization;
using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Workplace.Connectors.Content;

/// <summary>
/// Word (.docx) → Markdown: heading styles become #, numbered and bulleted paragraphs list items, bold and
/// italic runs emphasis, hyperlinks links, tables pipe tables. The title is the core "Title" property, else
/// the first heading.
/// </summary>
public static class DocxToMarkdown
{
    /// <summary>
    /// The most a .docx may unpack to. The file-size limit bounds only the compressed bytes, and a few kilobytes of
    /// zip can claim gigabytes; real documents, images included, unpack to a few megabytes.
    /// </summary>
    public const long MaxUnpackedBytes = 64L * 1024 * 1024;

    public static ConvertedDocument Convert(Stream content)
    {
        RefuseOversizedPackage(content);
        using var document = WordprocessingDocument.Open(content, isEditable: false);
        var main = document.MainDocumentPart;
        var body = main?.Document?.Body;
        if (main is null || body is null)
        {
            return new ConvertedDocument(null, "");
        }
        var context = new DocxContext(main);
        var blocks = new List<string>();
        var list = new List<string>();
        string? firstHeading = null;
        foreach (var element in Blocks(body))
        {
            if (element is Paragraph paragraph)
            {
                var (line, isListItem, headingLevel) = context.Paragraph(paragraph);
                if (isListItem)
                {
                    list.Add(line);
                    continue;
                }
                FlushList(blocks, list);
                if (line.Length > 0)
                {
                    blocks.Add(line);
                    if (headingLevel > 0 && firstHeading is null)
                    {
                        firstHeading = line.TrimStart('#').Trim();
                    }
                }
            }
            else if (element is Table table)
            {
                FlushList(blocks, list);
                blocks.Add(context.Table(table));
            }
        }
        FlushList(blocks, list);
        var title = document.PackageProperties.Title?.Trim();
        return new ConvertedDocument(string.IsNullOrEmpty(title) ? firstHeading : title, string.Join("\n\n", blocks.Where(b => b.Length > 0)));
    }

    // Content controls and custom XML wrap paragraphs and tables in many templates; their content is the document's.
    private static IEnumerable<OpenXmlElement> Blocks(OpenXmlElement container)
    {
        foreach (var element in container.ChildElements)
        {
            if (element is SdtBlock or SdtContentBlock or CustomXmlBlock)
            {
                foreach (var inner in Blocks(element))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return element;
            }
        }
    }

    private static void FlushList(List<string> blocks, List<string> list)
    {
        if (list.Count > 0)
        {
            blocks.Add(string.Join("\n", list));
            list.Clear();
        }
    }

    private static void RefuseOversizedPackage(Stream content)
    {
        long unpacked;
        using (var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true))
        {
            unpacked = zip.Entries.Sum(e => e.Length);
        }
        if (unpacked > MaxUnpackedBytes)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"The document unpacks to {unpacked} bytes, more than the {MaxUnpackedBytes} a Word document may; it is left out of the index."));
        }
        content.Position = 0;
    }

    private sealed class DocxContext(MainDocumentPart main)
    {
        private readonly Dictionary<string, string> _styleNames = main.StyleDefinitionsPart?.Styles?.Elements<Style>()
            .Where(s => s.StyleId?.Value is not null)
            .GroupBy(s => s.StyleId!.Value!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().StyleName?.Val?.Value ?? g.Key, StringComparer.Ordinal) ?? [];

        private readonly Dictionary<int, int> _counters = [];

        public (string Line, bool IsListItem, int HeadingLevel) Paragraph(Paragraph paragraph)
        {
            var text = Runs(paragraph).Trim();
            var styleId = paragraph.ParagraphProperties?.ParagraphStyleId?.Val?.Value;
            var styleName = styleId is null ? "" : _styleNames.GetValueOrDefault(styleId, styleId);
            var level = HeadingLevel(styleName);
            if (level > 0)
            {
                return (text.Length == 0 ? "" : $"{new string('#', level)} {StripEmphasis(text)}", false, level);
            }
            var numbering = paragraph.ParagraphProperties?.NumberingProperties;
            var isListStyle = styleName.StartsWith("list", StringComparison.OrdinalIgnoreCase) && styleName.Contains("bullet", StringComparison.OrdinalIgnoreCase);
            if ((numbering?.NumberingId?.Val?.Value is { } numId && numId != 0) || isListStyle)
            {
                var depth = numbering?.NumberingLevelReference?.Val?.Value ?? 0;
                var ordered = numbering?.NumberingId?.Val?.Value is { } id && IsOrdered(id, depth);
                var marker = "-";
                if (ordered)
                {
                    var key = (numbering!.NumberingId!.Val!.Value * 16) + depth;
                    _counters[key] = _counters.GetValueOrDefault(key) + 1;
                    marker = $"{_counters[key]}.";
                }
                return ($"{new string(' ', depth * 3)}{marker} {text}", true, 0);
            }
            return (text, false, 0);
        }

        public string Table(Table table) => MarkdownTable.Render(table.Elements<TableRow>()
            .Select(r => r.Elements<TableCell>().Select(c => string.Join(" ", c.Elements<Paragraph>().Select(p => Runs(p).Trim()).Where(t => t.Length > 0))).ToList()));

        private static int HeadingLevel(string styleName)
        {
            if (styleName.Equals("title", StringComparison.OrdinalIgnoreCase))
            {
                return 1;
            }
            var name = styleName.Replace(" ", "", StringComparison.Ordinal);
            return name.StartsWith("heading", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(name["heading".Length..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var level) && level is >= 1 and <= 6
                ? level
                : 0;
        }

        private bool IsOrdered(int numId, int depth)
        {
            var numbering = main.NumberingDefinitionsPart?.Numbering;
            var instance = numbering?.Elements<NumberingInstance>().FirstOrDefault(n => n.NumberID?.Value == numId);
            var abstractId = instance?.AbstractNumId?.Val?.Value;
            var abstractNum = numbering?.Elements<AbstractNum>().FirstOrDefault(a => a.AbstractNumberId?.Value == abstractId);
            var format = abstractNum?.Elements<Level>().FirstOrDefault(l => l.LevelIndex?.Value == depth)?.NumberingFormat?.Val?.Value;
            return format is not null && format != NumberFormatValues.Bullet && format != NumberFormatValues.None;
        }

        // Adjacent runs with the same emphasis are merged first, so "**a****b**" never appears.
        private string Runs(OpenXmlElement paragraph)
        {
            var segments = new List<(string Text, bool Bold, bool Italic)>();
            foreach (var element in paragraph.Descendants())
            {
                if (element is Run run && run.Ancestors<Hyperlink>().FirstOrDefault() is null)
                {
                    AddRun(segments, run);
                }
                else if (element is Hyperlink link)
                {
                    var label = string.Concat(link.Descendants<Run>().Select(RunText)).Trim();
                    var target = link.Id?.Value is { } rid ? main.HyperlinkRelationships.FirstOrDefault(r => r.Id == rid)?.Uri.ToString() : null;
                    segments.Add((target is null || label.Length == 0 ? label : $"[{label}]({target})", false, false));
                }
            }
            var merged = new List<(string Text, bool Bold, bool Italic)>();
            foreach (var segment in segments)
            {
                if (merged.Count > 0 && merged[^1].Bold == segment.Bold && merged[^1].Italic == segment.Italic)
                {
                    merged[^1] = (merged[^1].Text + segment.Text, segment.Bold, segment.Italic);
                }
                else
                {
                    merged.Add(segment);
                }
            }
            var builder = new StringBuilder();
            foreach (var (text, bold, italic) in merged)
            {
                var marker = (bold ? "**" : "") + (italic ? "*" : "");
                var trimmed = text.Trim();
                if (marker.Length == 0 || trimmed.Length == 0)
                {
                    builder.Append(text);
                    continue;
                }
                builder.Append(char.IsWhiteSpace(text[0]) ? " " : "").Append(marker).Append(trimmed).Append(marker).Append(char.IsWhiteSpace(text[^1]) ? " " : "");
            }
            return builder.ToString();
        }

        private static void AddRun(List<(string, bool, bool)> segments, Run run)
        {
            var properties = run.RunProperties;
            segments.Add((RunText(run), IsOn(properties?.Bold), IsOn(properties?.Italic)));
        }

        private static bool IsOn(OnOffType? toggle) => toggle is not null && (toggle.Val is null || toggle.Val.Value);

        private static string RunText(Run run)
        {
            var builder = new StringBuilder();
            foreach (var child in run.ChildElements)
            {
                switch (child)
                {
                    case Text text:
                        builder.Append(text.Text);
                        break;
                    case TabChar:
                        builder.Append(' ');
                        break;
                    case Break or CarriageReturn:
                        builder.Append('\n');
                        break;
                }
            }
            return builder.ToString();
        }

        private static string StripEmphasis(string text) => text.Replace("**", "", StringComparison.Ordinal);
    }
}
