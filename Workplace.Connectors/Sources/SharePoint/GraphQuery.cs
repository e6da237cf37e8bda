using Workplace.ServiceDefaults.Search;

namespace Workplace.Connectors.Sources.SharePoint;

/// <summary>
/// A user's query as KQL, from its plan (<see cref="QueryPlan"/>): <see cref="ToKql"/> asks for every keyword and
/// quoted phrase, <see cref="AnyKql"/> for any keyword, phrase or date when too few items hold them all. Plan words
/// are letters and digits only, so property restrictions (<c>author:x</c>), wildcards and exclusions in user input
/// are inert words; words that are KQL operators (OR, NOT, NEAR) and terms with other characters are quoted.
/// Null when the query holds no word at all.
/// </summary>
public static class GraphQuery
{
    private static readonly HashSet<string> s_keywords = new(StringComparer.OrdinalIgnoreCase) { "AND", "OR", "NOT", "NEAR", "ONEAR", "XRANK", "WORDS" };

    /// <summary>Every keyword and phrase (KQL's implicit AND); Graph stems plain words.</summary>
    public static string? ToKql(string query)
    {
        var plan = QueryPlan.Parse(query);
        return plan.IsEmpty ? null : string.Join(' ', plan.Phrases.Concat(plan.Required).Distinct(StringComparer.Ordinal).Select(Term));
    }

    /// <summary>Any keyword, phrase or date; null when that is the same query as <see cref="ToKql"/>.</summary>
    public static string? AnyKql(string query)
    {
        var plan = QueryPlan.Parse(query);
        var terms = plan.Phrases.Concat(plan.Terms).Distinct(StringComparer.Ordinal).ToList();
        return terms.Count < 2 ? null : string.Join(" OR ", terms.Select(Term));
    }

    private static string Term(string text) => text.All(char.IsLetterOrDigit) && !s_keywords.Contains(text) ? text : $"\"{text}\"";
}
