using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Workplace.Emulators.Notion;

/// <summary>Notion's annotations of one rich text segment.</summary>
public readonly record struct Annotations(bool Bold, bool Italic, bool Strikethrough, bool Code);

/// <summary>Inline Markdown (<c>**bold**</c>, <c>*italic*</c>, <c>~~struck~~</c>, <c>`code`</c>, <c>[text](url)</c>) as Notion rich text segments.</summary>
public static partial class RichText
{
    public static JsonArray Parse(string text)
    {
        var segments = new JsonArray();
        Append(segments, text, null, default);
        return segments;
    }

    public static JsonObject Segment(string content, string? href, Annotations annotations) => new()
    {
        ["type"] = "text",
        ["text"] = new JsonObject
        {
            ["content"] = content,
            ["link"] = href is null ? null : new JsonObject { ["url"] = href },
        },
        ["annotations"] = new JsonObject
        {
            ["bold"] = annotations.Bold,
            ["italic"] = annotations.Italic,
            ["strikethrough"] = annotations.Strikethrough,
            ["underline"] = false,
            ["code"] = annotations.Code,
            ["color"] = "default",
        },
        ["plain_text"] = content,
        ["href"] = href,
    };

    private static void Append(JsonArray segments, string text, string? href, Annotations annotations)
    {
        var position = 0;
        foreach (Match match in Inline().Matches(text))
        {
            if (match.Index > position)
            {
                segments.Add(Segment(text[position..match.Index], href, annotations));
            }
            var token = match.Value;
            if (match.Groups["link"].Success)
            {
                Append(segments, match.Groups["label"].Value, match.Groups["url"].Value, annotations);
            }
            else if (token.StartsWith("**", StringComparison.Ordinal))
            {
                Append(segments, token[2..^2], href, annotations with { Bold = true });
            }
            else if (token.StartsWith("~~", StringComparison.Ordinal))
            {
                Append(segments, token[2..^2], href, annotations with { Strikethrough = true });
            }
            else if (token.StartsWith('`'))
            {
                segments.Add(Segment(token[1..^1], href, annotations with { Code = true }));
            }
            else
            {
                Append(segments, token[1..^1], href, annotations with { Italic = true });
            }
            position = match.Index + match.Length;
        }
        if (position < text.Length)
        {
            segments.Add(Segment(text[position..], href, annotations));
        }
    }

    [GeneratedRegex(@"(?<link>\[(?<label>[^\]]+)\]\((?<url>[^)\s]+)\))|\*\*.+?\*\*|~~.+?~~|`[^`]+`|\*[^*\s][^*\n]*?\*")]
    private static partial Regex Inline();
}
