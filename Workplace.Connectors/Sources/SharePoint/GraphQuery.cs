using Workplace.Connectors.Sources.Files;

namespace Workplace.Connectors.Sources.SharePoint;

/// <summary>
/// A user's query as KQL that can only mean "all of these words and phrases": words and phrases are tokenised as for
/// the files source (<see cref="FtsQuery"/>); plain words go as they are (so Graph stems them), and every phrase, word
/// with punctuation or KQL keyword is quoted, so property restrictions (<c>author:x</c>), operators (OR, NOT, -x, NEAR)
/// and wildcards in user input are inert text. Null when the query holds no word at all.
/// </summary>
public static class GraphQuery
{
    private static readonly HashSet<string> s_keywords = new(StringComparer.OrdinalIgnoreCase) { "AND", "OR", "NOT", "NEAR", "ONEAR", "XRANK", "WORDS" };

    public static string? ToKql(string query)
    {
        var parsed = FtsQuery.Parse(query);
        // KQL has no escape inside a quoted phrase: a backslash goes, as a quote already has.
        var parts = parsed.Phrases.Concat(parsed.Terms)
            .Select(text => string.Join(' ', text.Replace("\\", "", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries)))
            .Where(text => text.Any(char.IsLetterOrDigit))
            .Select(text => text.All(char.IsLetterOrDigit) && !s_keywords.Contains(text) ? text : $"\"{text}\"")
            .ToList();
        return parts.Count == 0 ? null : string.Join(' ', parts);
    }
}
