using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Workplace.Emulators.Notion;

/// <summary>
/// One block of a page as Notion holds it: its type, the type's own object, and its nested blocks; for
/// <c>child_page</c> and <c>child_database</c>, <c>Reference</c> is the slug of the page or database it shows.
/// </summary>
public sealed record NotionBlockSpec(string Type, JsonObject Content, IReadOnlyList<NotionBlockSpec> Children, string? Reference = null);

/// <summary>
/// Turns the sample pages, written in Markdown, into the blocks Notion stores. Markdown is only the authoring format:
/// a few conventions stand for block types Markdown lacks — <c>▶ title</c> with indented lines is a toggle,
/// <c>&gt; [!NOTE]</c> / <c>&gt; [!WARNING]</c> a callout, a line <c>&lt;https://…&gt;</c> a bookmark,
/// <c>@child_page(slug)</c> and <c>@child_database(slug)</c> a child page or database.
/// </summary>
public static partial class NotionMarkdown
{
    public static IReadOnlyList<NotionBlockSpec> Parse(string markdown) => ParseLines(markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'));

    private static List<NotionBlockSpec> ParseLines(IReadOnlyList<string> lines)
    {
        var blocks = new List<NotionBlockSpec>();
        var i = 0;
        while (i < lines.Count)
        {
            var line = lines[i];
            var trimmed = line.Trim();
            if (trimmed.Length == 0)
            {
                i++;
                continue;
            }
            if (trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                var language = trimmed[3..].Trim();
                var code = new List<string>();
                for (i++; i < lines.Count && !lines[i].Trim().StartsWith("```", StringComparison.Ordinal); i++)
                {
                    code.Add(lines[i]);
                }
                i++;
                blocks.Add(Block("code", new JsonObject
                {
                    ["caption"] = new JsonArray(),
                    ["rich_text"] = new JsonArray(RichText.Segment(string.Join('\n', code), null, default)),
                    ["language"] = CodeLanguage(language),
                }));
                continue;
            }
            if (trimmed.StartsWith('|'))
            {
                var rows = new List<string>();
                for (; i < lines.Count && lines[i].Trim().StartsWith('|'); i++)
                {
                    rows.Add(lines[i].Trim());
                }
                blocks.Add(Table(rows));
                continue;
            }
            if (trimmed is "---" or "***")
            {
                blocks.Add(Block("divider", []));
                i++;
                continue;
            }
            if (ChildReference().Match(trimmed) is { Success: true } reference)
            {
                blocks.Add(new NotionBlockSpec(reference.Groups[1].Value, new JsonObject { ["title"] = "" }, [], reference.Groups[2].Value));
                i++;
                continue;
            }
            if (BookmarkLine().Match(trimmed) is { Success: true } bookmark)
            {
                blocks.Add(Block("bookmark", new JsonObject { ["caption"] = new JsonArray(), ["url"] = bookmark.Groups[1].Value }));
                i++;
                continue;
            }
            if (ImageLine().Match(trimmed) is { Success: true } image)
            {
                blocks.Add(Block("image", new JsonObject
                {
                    ["caption"] = RichText.Parse(image.Groups[1].Value),
                    ["type"] = "external",
                    ["external"] = new JsonObject { ["url"] = image.Groups[2].Value },
                }));
                i++;
                continue;
            }
            if (HeadingLine().Match(trimmed) is { Success: true } heading)
            {
                var level = Math.Min(heading.Groups[1].Length, 3);
                blocks.Add(Block($"heading_{level}", new JsonObject
                {
                    ["rich_text"] = RichText.Parse(heading.Groups[2].Value),
                    ["is_toggleable"] = false,
                    ["color"] = "default",
                }));
                i++;
                continue;
            }
            if (trimmed.StartsWith('>'))
            {
                var quoted = new List<string>();
                for (; i < lines.Count && lines[i].Trim().StartsWith('>'); i++)
                {
                    quoted.Add(lines[i].Trim()[1..].Trim());
                }
                blocks.Add(QuoteOrCallout(string.Join('\n', quoted)));
                continue;
            }

            var indent = line.Length - line.TrimStart().Length;
            var item = ListItem(trimmed);
            if (item is not null)
            {
                var nested = new List<string>();
                for (i++; i < lines.Count && (lines[i].Trim().Length == 0 ? NextIndentedBeyond(lines, i, indent) : Indent(lines[i]) > indent); i++)
                {
                    nested.Add(lines[i]);
                }
                var children = ParseLines(Dedent(nested));
                blocks.Add(item with { Children = children });
                continue;
            }

            var paragraph = new List<string> { trimmed };
            for (i++; i < lines.Count && IsParagraphContinuation(lines[i]); i++)
            {
                paragraph.Add(lines[i].Trim());
            }
            blocks.Add(Block("paragraph", new JsonObject { ["rich_text"] = RichText.Parse(string.Join('\n', paragraph)), ["color"] = "default" }));
        }
        return blocks;
    }

    private static NotionBlockSpec Block(string type, JsonObject content) => new(type, content, []);

    private static NotionBlockSpec? ListItem(string trimmed)
    {
        if (ToDoLine().Match(trimmed) is { Success: true } todo)
        {
            return Block("to_do", new JsonObject
            {
                ["rich_text"] = RichText.Parse(todo.Groups[2].Value),
                ["checked"] = todo.Groups[1].Value is "x" or "X",
                ["color"] = "default",
            });
        }
        if (trimmed.StartsWith("▶ ", StringComparison.Ordinal))
        {
            return Block("toggle", new JsonObject { ["rich_text"] = RichText.Parse(trimmed[2..]), ["color"] = "default" });
        }
        if (BulletLine().Match(trimmed) is { Success: true } bullet)
        {
            return Block("bulleted_list_item", new JsonObject { ["rich_text"] = RichText.Parse(bullet.Groups[1].Value), ["color"] = "default" });
        }
        if (NumberedLine().Match(trimmed) is { Success: true } numbered)
        {
            return Block("numbered_list_item", new JsonObject { ["rich_text"] = RichText.Parse(numbered.Groups[1].Value), ["color"] = "default" });
        }
        return null;
    }

    private static bool IsParagraphContinuation(string line)
    {
        var trimmed = line.Trim();
        return trimmed.Length > 0
            && Indent(line) == 0
            && ListItem(trimmed) is null
            && !trimmed.StartsWith('#')
            && !trimmed.StartsWith('>')
            && !trimmed.StartsWith('|')
            && !trimmed.StartsWith("```", StringComparison.Ordinal)
            && !trimmed.StartsWith('@')
            && trimmed is not ("---" or "***");
    }

    private static bool NextIndentedBeyond(IReadOnlyList<string> lines, int i, int indent)
    {
        for (var j = i; j < lines.Count; j++)
        {
            if (lines[j].Trim().Length > 0)
            {
                return Indent(lines[j]) > indent;
            }
        }
        return false;
    }

    private static int Indent(string line) => line.Length - line.TrimStart().Length;

    private static List<string> Dedent(List<string> lines)
    {
        var indent = lines.Where(l => l.Trim().Length > 0).Select(Indent).DefaultIfEmpty(0).Min();
        return [.. lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart())];
    }

    private static NotionBlockSpec QuoteOrCallout(string text)
    {
        if (CalloutMarker().Match(text) is { Success: true } callout)
        {
            return Block("callout", new JsonObject
            {
                ["rich_text"] = RichText.Parse(callout.Groups[2].Value.Trim()),
                ["icon"] = new JsonObject { ["type"] = "emoji", ["emoji"] = callout.Groups[1].Value == "WARNING" ? "⚠️" : "💡" },
                ["color"] = callout.Groups[1].Value == "WARNING" ? "yellow_background" : "gray_background",
            });
        }
        return Block("quote", new JsonObject { ["rich_text"] = RichText.Parse(text), ["color"] = "default" });
    }

    private static NotionBlockSpec Table(List<string> rows)
    {
        static string[] Cells(string row) => [.. row.Trim('|').Split('|').Select(c => c.Trim())];
        var hasHeader = rows.Count > 1 && SeparatorRow().IsMatch(rows[1]);
        var body = rows.Where((_, index) => !(hasHeader && index == 1)).Select(Cells).ToList();
        var width = body.Max(r => r.Length);
        var tableRows = body.Select(cells => Block("table_row", new JsonObject
        {
            ["cells"] = new JsonArray([.. Enumerable.Range(0, width).Select(c => (JsonNode)RichText.Parse(c < cells.Length ? cells[c] : ""))]),
        })).ToList();
        return new NotionBlockSpec("table", new JsonObject
        {
            ["table_width"] = width,
            ["has_column_header"] = hasHeader,
            ["has_row_header"] = false,
        }, tableRows);
    }

    private static string CodeLanguage(string fence) => fence.ToLowerInvariant() switch
    {
        "" or "text" or "txt" => "plain text",
        "sh" or "shell" => "shell",
        "yml" => "yaml",
        "ts" => "typescript",
        "js" => "javascript",
        "cs" or "csharp" => "c#",
        var other => other,
    };

    [GeneratedRegex(@"^@(child_page|child_database)\(([a-z0-9-]+)\)$")]
    private static partial Regex ChildReference();

    [GeneratedRegex(@"^<(https?://[^>\s]+)>$")]
    private static partial Regex BookmarkLine();

    [GeneratedRegex(@"^!\[([^\]]*)\]\((https?://[^)\s]+)\)$")]
    private static partial Regex ImageLine();

    [GeneratedRegex(@"^(#{1,6})\s+(.*)$")]
    private static partial Regex HeadingLine();

    [GeneratedRegex(@"^[-*]\s+\[([ xX])\]\s+(.*)$")]
    private static partial Regex ToDoLine();

    [GeneratedRegex(@"^[-*+]\s+(.*)$")]
    private static partial Regex BulletLine();

    [GeneratedRegex(@"^\d+[.)]\s+(.*)$")]
    private static partial Regex NumberedLine();

    [GeneratedRegex(@"^\[!(NOTE|WARNING)\]\s*(.*)$", RegexOptions.Singleline)]
    private static partial Regex CalloutMarker();

    [GeneratedRegex(@"^\|(\s*:?-{3,}:?\s*\|)+$")]
    private static partial Regex SeparatorRow();
}
