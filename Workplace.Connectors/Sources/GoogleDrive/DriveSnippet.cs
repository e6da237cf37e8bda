using System.Text;
using System.Text.RegularExpressions;

using Workplace.ServiceDefaults.Search;

namespace Workplace.Connectors.Sources.GoogleDrive;

/// <summary>
/// Drive returns no snippet, so one is cut from text at hand: a window of words around the first query word, each
/// query word marked `**word**` and a cut end shown as `…`, as the files source's snippets are.
/// </summary>
public static partial class DriveSnippet
{
    public const int WindowWords = 32;

    // Words shown before the first match, so it reads in context.
    private const int LeadWords = 8;

    /// <summary>The snippet of <paramref name="text"/>, or null when no query word is in it.</summary>
    public static string? Around(string? text, IReadOnlyList<string> words)
    {
        if (string.IsNullOrWhiteSpace(text) || words.Count == 0)
        {
            return null;
        }
        var wanted = words.ToHashSet(StringComparer.Ordinal);
        var tokens = QueryPlan.WordPattern().Matches(text);
        var first = tokens.Select((m, i) => (m, i)).FirstOrDefault(t => wanted.Contains(t.m.Value.ToLowerInvariant()));
        if (first.m is null)
        {
            return null;
        }
        var start = Math.Max(0, first.i - LeadWords);
        var end = Math.Min(tokens.Count, start + WindowWords);
        var snippet = new StringBuilder(start > 0 ? "…" : "");
        var at = tokens[start].Index;
        for (var i = start; i < end; i++)
        {
            var token = tokens[i];
            snippet.Append(Flatten(text[at..token.Index]));
            snippet.Append(wanted.Contains(token.Value.ToLowerInvariant()) ? $"**{token.Value}**" : token.Value);
            at = token.Index + token.Length;
        }
        if (end < tokens.Count)
        {
            snippet.Append('…');
        }
        return snippet.ToString();
    }

    /// <summary>The start of <paramref name="text"/>, unmarked, for a file whose words matched only where Drive looked (its content).</summary>
    public static string Opening(string text)
    {
        var tokens = QueryPlan.WordPattern().Matches(text);
        if (tokens.Count <= WindowWords)
        {
            return Flatten(text).Trim();
        }
        var last = tokens[WindowWords - 1];
        return Flatten(text[..(last.Index + last.Length)]).Trim() + "…";
    }

    // Line breaks and runs of blanks read as one space in a one-line snippet.
    private static string Flatten(string text) => Whitespace().Replace(text, " ");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
