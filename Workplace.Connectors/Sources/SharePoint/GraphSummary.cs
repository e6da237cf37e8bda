using System.Net;
using System.Text.RegularExpressions;

namespace Workplace.Connectors.Sources.SharePoint;

/// <summary>
/// Graph's search summary (matched words in <c>&lt;c0&gt;…&lt;/c0&gt;</c>, cuts as <c>&lt;ddd/&gt;</c>) in the snippet
/// dialect every source answers: matched words in <c>**bold**</c>, cuts as "…", no markup otherwise.
/// </summary>
public static partial class GraphSummary
{
    public static string ToSnippet(string? summary)
    {
        if (string.IsNullOrWhiteSpace(summary))
        {
            return "";
        }
        var marked = Highlight().Replace(summary, match => match.Groups[1].Value.Trim() is { Length: > 0 } word ? $"**{word}**" : "");
        var cut = Cut().Replace(marked, " … ");
        var text = WebUtility.HtmlDecode(OtherTag().Replace(cut, ""));
        return Whitespace().Replace(text, " ").Trim();
    }

    [GeneratedRegex("<c0>(.*?)</c0>", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Highlight();

    [GeneratedRegex(@"\s*<ddd\s*/>\s*", RegexOptions.CultureInvariant)]
    private static partial Regex Cut();

    [GeneratedRegex("</?[a-zA-Z][^<>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex OtherTag();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();
}
