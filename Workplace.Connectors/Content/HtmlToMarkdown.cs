using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Workplace.Connectors.Content;

/// <summary>
/// HTML → Markdown: headings, paragraphs, lists, links, emphasis, code, tables and quotes. Scripts, styles,
/// navigation and forms are dropped: they are page furniture, not the document, and text in them would
/// pollute search.
/// </summary>
public static partial class HtmlToMarkdown
{
    private static readonly HashSet<string> s_dropped = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "nav", "noscript", "template", "iframe", "svg", "object", "head", "form", "button", "select", "canvas",
    };

    private static readonly HashSet<string> s_blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "section", "article", "main", "header", "footer", "aside", "h1", "h2", "h3", "h4", "h5", "h6",
        "ul", "ol", "pre", "table", "blockquote", "hr", "figure", "figcaption", "dl", "dt", "dd", "address", "details",
        "summary", "body", "html", "li", "tr", "td", "th", "thead", "tbody", "tfoot",
    };

    // Navigation is often a plain div: recognised by ARIA role or by the class and id names sites give it.
    private static readonly HashSet<string> s_navigationNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "nav", "navbar", "navigation", "topnav", "sidenav", "subnav", "site-nav", "main-nav", "menu", "menubar", "breadcrumb", "breadcrumbs", "skip-link",
    };

    public static ConvertedDocument Convert(Stream content)
    {
        using var document = new HtmlParser().ParseDocument(content);
        return Convert(document);
    }

    public static ConvertedDocument Convert(string html)
    {
        using var document = new HtmlParser().ParseDocument(html);
        return Convert(document);
    }

    private static ConvertedDocument Convert(IDocument document)
    {
        var title = Collapse(document.Title ?? "");
        if (title.Length == 0)
        {
            title = Collapse(document.QuerySelector("h1")?.TextContent ?? "");
        }
        var root = document.Body ?? document.DocumentElement;
        var markdown = string.Join("\n\n", Blocks(root).Where(b => b.Length > 0));
        return new ConvertedDocument(title.Length == 0 ? null : title, markdown);
    }

    private static List<string> Blocks(IElement container)
    {
        var blocks = new List<string>();
        var inline = new StringBuilder();
        void Flush()
        {
            var paragraph = Paragraph(inline.ToString());
            if (paragraph.Length > 0)
            {
                blocks.Add(paragraph);
            }
            inline.Clear();
        }
        foreach (var node in container.ChildNodes)
        {
            if (node is IElement dropped && IsFurniture(dropped))
            {
                continue;
            }
            if (node is IElement element && s_blocks.Contains(element.LocalName))
            {
                Flush();
                blocks.AddRange(Block(element));
            }
            else
            {
                inline.Append(Inline(node));
            }
        }
        Flush();
        return blocks;
    }

    private static List<string> Block(IElement element)
    {
        switch (element.LocalName)
        {
            case "h1" or "h2" or "h3" or "h4" or "h5" or "h6":
                var text = Collapse(InlineChildren(element));
                return text.Length == 0 ? [] : [$"{new string('#', element.LocalName[1] - '0')} {text}"];
            case "p":
                return [Paragraph(InlineChildren(element))];
            case "ul" or "ol":
                return [List(element, 0)];
            case "pre":
                return [Fenced(element)];
            case "table":
                return [Table(element)];
            case "blockquote":
                return [string.Join("\n", string.Join("\n\n", Blocks(element)).Split('\n').Select(l => l.Length == 0 ? ">" : "> " + l))];
            case "hr":
                return ["---"];
            default:
                return Blocks(element);
        }
    }

    private static string List(IElement list, int depth)
    {
        var lines = new List<string>();
        var indent = new string(' ', depth * 3);
        var number = int.TryParse(list.GetAttribute("start"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var start) ? start : 1;
        foreach (var item in list.Children.Where(c => c.LocalName == "li"))
        {
            var marker = list.LocalName == "ol" ? $"{number++}." : "-";
            var text = new StringBuilder();
            var nested = new List<string>();
            foreach (var node in item.ChildNodes)
            {
                if (node is IElement { LocalName: "ul" or "ol" } sub)
                {
                    nested.Add(List(sub, depth + 1));
                }
                else if (node is IElement { LocalName: "p" or "div" } para)
                {
                    text.Append(' ').Append(InlineChildren(para)).Append(' ');
                }
                else
                {
                    text.Append(Inline(node));
                }
            }
            lines.Add($"{indent}{marker} {Collapse(text.ToString())}");
            lines.AddRange(nested);
        }
        return string.Join("\n", lines);
    }

    private static string Fenced(IElement pre)
    {
        var code = pre.TextContent.ReplaceLineEndings("\n").TrimEnd('\n');
        var language = pre.QuerySelector("code")?.ClassList.FirstOrDefault(c => c.StartsWith("language-", StringComparison.Ordinal))?["language-".Length..] ?? "";
        var fence = code.Contains("```", StringComparison.Ordinal) ? "~~~~" : "```";
        return $"{fence}{language}\n{code}\n{fence}";
    }

    private static string Table(IElement table) => MarkdownTable.Render(table.QuerySelectorAll("tr")
        .Where(r => r.Closest("table") == table)
        .Select(r => r.Children.Where(c => c.LocalName is "td" or "th").Select(c => Collapse(InlineChildren(c))).ToList()));

    private static string InlineChildren(INode node) => string.Concat(node.ChildNodes.Select(Inline));

    private static string Inline(INode node)
    {
        if (node is IText text)
        {
            return Whitespace().Replace(text.Data, " ");
        }
        if (node is not IElement element || IsFurniture(element))
        {
            return "";
        }
        return element.LocalName switch
        {
            "strong" or "b" => Wrap(InlineChildren(element), "**"),
            "em" or "i" => Wrap(InlineChildren(element), "*"),
            "code" or "kbd" or "samp" => Wrap(element.TextContent, "`"),
            "br" => "\n",
            "a" => Link(element),
            "img" => element.GetAttribute("src") is { Length: > 0 } src ? $"![{Collapse(element.GetAttribute("alt") ?? "")}]({src})" : "",
            _ when s_blocks.Contains(element.LocalName) => " " + string.Join(" ", Blocks(element)) + " ",
            _ => InlineChildren(element),
        };
    }

    private static bool IsFurniture(IElement element) =>
        s_dropped.Contains(element.LocalName)
        || element.GetAttribute("role") is "navigation" or "menu" or "menubar"
        || element.ClassList.Any(s_navigationNames.Contains)
        || (element.Id is { } id && s_navigationNames.Contains(id));

    private static string Link(IElement anchor)
    {
        var label = Collapse(InlineChildren(anchor));
        var href = anchor.GetAttribute("href")?.Trim();
        if (string.IsNullOrEmpty(href) || href.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase) || label.Length == 0)
        {
            return label;
        }
        return $"[{label}]({href.Replace(" ", "%20", StringComparison.Ordinal)})";
    }

    // Emphasis markers must hug the text ("**a** b", not "** a **"), so surrounding spaces move outside them.
    private static string Wrap(string inner, string marker)
    {
        var trimmed = inner.Trim();
        if (trimmed.Length == 0)
        {
            return inner;
        }
        var lead = char.IsWhiteSpace(inner[0]) ? " " : "";
        var trail = char.IsWhiteSpace(inner[^1]) ? " " : "";
        return $"{lead}{marker}{trimmed}{marker}{trail}";
    }

    private static string Paragraph(string inline) =>
        string.Join("\n", inline.Split('\n').Select(Collapse).Where(l => l.Length > 0));

    private static string Collapse(string text) => Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
