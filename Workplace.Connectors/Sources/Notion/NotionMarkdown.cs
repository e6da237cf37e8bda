using System.Text;
using Workplace.Connectors.Content;

namespace Workplace.Connectors.Sources.Notion;

/// <summary>A block with the nested blocks read below it (none for a child page or database: those are documents of their own).</summary>
public sealed record NotionBlockNode(NotionBlock Block, IReadOnlyList<NotionBlockNode> Children);

/// <summary>
/// A Notion page as the Markdown of fetch: the title as `# `, then every block in order, nested blocks indented under
/// list items and kept inside quotes, callouts and toggles. A block type without a Markdown form leaves a short
/// marker, so the reader knows something is there.
/// </summary>
public static class NotionMarkdown
{
    /// <summary>Where Notion shows a page or database by id (the same address its own links resolve to).</summary>
    public static string Link(string id) => $"https://www.notion.so/{(Guid.TryParse(id, out var uuid) ? uuid.ToString("N") : Uri.EscapeDataString(id))}";

    public static string Page(string title, IReadOnlyList<NotionBlockNode> blocks)
    {
        var body = Blocks(blocks);
        return $"# {OneLine(title)}\n" + (body.Length == 0 ? "" : "\n" + body + "\n");
    }

    public static string Blocks(IReadOnlyList<NotionBlockNode> blocks)
    {
        var markdown = new StringBuilder();
        var number = 0;
        var previousWasListItem = false;
        foreach (var node in blocks)
        {
            number = node.Block.Type == "numbered_list_item" ? number + 1 : 0;
            if (Block(node, number) is not { Length: > 0 } text)
            {
                continue;
            }
            var listItem = node.Block.Type is "bulleted_list_item" or "numbered_list_item" or "to_do";
            if (markdown.Length > 0)
            {
                // Items of one list stay together; every other block is a paragraph of its own.
                markdown.Append(listItem && previousWasListItem ? "\n" : "\n\n");
            }
            markdown.Append(text);
            previousWasListItem = listItem;
        }
        return markdown.ToString();
    }

    private static string? Block(NotionBlockNode node, int number)
    {
        var block = node.Block;
        var content = block.Content;
        var text = Inline(content.RichText);
        return block.Type switch
        {
            "paragraph" => Join(text, Blocks(node.Children)),
            "heading_1" or "heading_2" or "heading_3" or "heading_4" =>
                Join($"{new string('#', block.Type[^1] - '0')} {OneLine(text)}", Blocks(node.Children)),
            "bulleted_list_item" => Item("- ", text, node.Children),
            "numbered_list_item" => Item($"{number}. ", text, node.Children),
            "to_do" => Item(content.Checked ? "- [x] " : "- [ ] ", text, node.Children),
            "toggle" => $"<details>\n<summary>{OneLine(text)}</summary>\n\n" + Join(Blocks(node.Children), "</details>"),
            "quote" => Quote(Join(text, Blocks(node.Children))),
            "callout" => Quote(Join(content.Icon?.Emoji is { Length: > 0 } emoji ? $"{emoji} {text}" : text, Blocks(node.Children))),
            "code" => Join(Fence(NotionRichText.Plain(content.RichText ?? []), content.Language), Caption(content)),
            "equation" => $"$$\n{content.Expression}\n$$",
            "divider" => "---",
            "table" => Table(content, node.Children),
            "child_page" => $"Page: [{Label(content.Title, "Untitled")}]({Link(block.Id)})",
            "child_database" => $"Database: [{Label(content.Title, "Untitled")}]({Link(block.Id)})",
            "link_to_page" => (content.PageId ?? content.DatabaseId) is { } target ? $"Link to page: [{Link(target)}]({Link(target)})" : Marker(block.Type),
            "bookmark" or "embed" or "link_preview" => content.Url is { Length: > 0 } url ? $"[{Label(Inline(content.Caption), url)}]({Destination(url)})" : null,
            "image" => FileUrl(content) is { } image ? $"![{OneLine(Inline(content.Caption))}]({Destination(image)})" : Marker(block.Type),
            "video" or "audio" or "file" or "pdf" => FileUrl(content) is { } file
                ? $"[{Label(Inline(content.Caption), Label(content.Name, block.Type))}]({Destination(file)})"
                : Marker(block.Type),
            // Layout and references: their content is their children (a synced copy holds the original's blocks).
            "column_list" or "column" or "synced_block" => Blocks(node.Children),
            // Navigation Notion draws from the page itself: nothing of the document is lost without it.
            "table_of_contents" or "breadcrumb" => null,
            _ => Join(Marker(block.Type), Blocks(node.Children)),
        };
    }

    private static string Marker(string type) => $"*[A Notion block of type {type} is not shown here: open the page in Notion to see it]*";

    private static string Item(string marker, string text, IReadOnlyList<NotionBlockNode> children)
    {
        var item = marker + Indent(text, marker.Length, skipFirst: true);
        var nested = Blocks(children);
        return nested.Length == 0 ? item : item + "\n" + Indent(nested, marker.Length, skipFirst: false);
    }

    private static string Indent(string text, int width, bool skipFirst)
    {
        var pad = new string(' ', width);
        var lines = text.Split('\n');
        return string.Join('\n', lines.Select((line, i) => (skipFirst && i == 0) || line.Length == 0 ? line : pad + line));
    }

    private static string Quote(string text) => string.Join('\n', text.Split('\n').Select(line => line.Length == 0 ? ">" : "> " + line));

    private static string Join(string first, string? second) =>
        string.IsNullOrEmpty(second) ? first : first.Length == 0 ? second : first + "\n\n" + second;

    private static string Fence(string code, string? language)
    {
        var fence = "```";
        while (code.Contains(fence, StringComparison.Ordinal))
        {
            fence += "`";
        }
        var info = language is null or "plain text" ? "" : language.Replace(' ', '-');
        return $"{fence}{info}\n{code}\n{fence}";
    }

    private static string? Caption(NotionBlockContent content) => content.Caption is { Count: > 0 } caption ? $"*{OneLine(Inline(caption))}*" : null;

    private static string Table(NotionBlockContent table, IReadOnlyList<NotionBlockNode> children)
    {
        var rows = children.Where(c => c.Block.Type == "table_row")
            .Select(r => (IReadOnlyList<string>)[.. (r.Block.Content.Cells ?? []).Select(cell => Inline(cell).Replace("\n", "<br>", StringComparison.Ordinal))])
            .ToList();
        if (rows.Count == 0)
        {
            return "";
        }
        // Markdown tables always have a header row: a Notion table without one gets an empty header.
        if (!table.HasColumnHeader)
        {
            rows.Insert(0, [.. Enumerable.Repeat("", rows.Max(r => r.Count))]);
        }
        return MarkdownTable.Render(rows);
    }

    private static string? FileUrl(NotionBlockContent content) => content.Type switch
    {
        "external" => content.External?.Url,
        "file" => content.File?.Url,
        _ => content.External?.Url ?? content.File?.Url,
    } is { Length: > 0 } url ? url : null;

    private static string Label(string? text, string fallback) => string.IsNullOrWhiteSpace(text) ? fallback : OneLine(text).Replace("]", "\\]", StringComparison.Ordinal);

    private static string OneLine(string text) => string.Join(' ', text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    // A URL with spaces or parentheses would end the link early.
    private static string Destination(string url) => url.Replace(" ", "%20", StringComparison.Ordinal).Replace("(", "%28", StringComparison.Ordinal).Replace(")", "%29", StringComparison.Ordinal);

    /// <summary>
    /// Rich text as inline Markdown. Text is written as Notion holds it, unescaped: a `*` someone typed stays a `*`
    /// for the reader, at the cost of rare accidental emphasis.
    /// </summary>
    public static string Inline(IReadOnlyList<NotionRichText>? runs)
    {
        if (runs is null)
        {
            return "";
        }
        var markdown = new StringBuilder();
        foreach (var run in runs)
        {
            if (run is null)
            {
                continue;
            }
            var text = run.Type == "equation" && run.Equation is { } equation ? $"${equation.Expression}$" : run.PlainText ?? "";
            if (text.Length == 0)
            {
                continue;
            }
            var core = text.Trim();
            if (core.Length == 0)
            {
                markdown.Append(text);
                continue;
            }
            // Markers must hug the text ("**a** b", not "** a **"): surrounding spaces move outside them.
            var lead = text[..(text.Length - text.TrimStart().Length)];
            var trail = text[(lead.Length + core.Length)..];
            if (run.Annotations is { } a)
            {
                core = a.Code ? CodeSpan(core) : core;
                core = a.Strikethrough ? $"~~{core}~~" : core;
                core = a.Italic ? $"*{core}*" : core;
                core = a.Bold ? $"**{core}**" : core;
            }
            if (run.Href is { Length: > 0 } href)
            {
                core = $"[{core}]({Destination(href)})";
            }
            markdown.Append(lead).Append(core).Append(trail);
        }
        return markdown.ToString();
    }

    private static string CodeSpan(string code)
    {
        var ticks = "`";
        while (code.Contains(ticks, StringComparison.Ordinal))
        {
            ticks += "`";
        }
        return ticks.Length == 1 ? $"`{code}`" : $"{ticks} {code} {ticks}";
    }
}
