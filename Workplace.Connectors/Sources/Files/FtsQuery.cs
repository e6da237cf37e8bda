using Workplace.ServiceDefaults.Search;

namespace Workplace.Connectors.Sources.Files;

/// <summary>
/// A planned query (<see cref="Of"/>) as FTS5 syntax that can only mean "these words": every term and phrase
/// becomes an FTS5 string ("..."), so operators, column filters, prefixes and NEAR in user input are inert text.
/// <see cref="Alternatives"/> are terms only <see cref="Any"/> asks for (a plan's date terms and the words they stand for).
/// </summary>
public sealed record FtsQuery(IReadOnlyList<string> Terms, IReadOnlyList<string> Phrases, IReadOnlyList<string>? Alternatives = null)
{
    public bool IsEmpty => Terms.Count == 0 && Phrases.Count == 0;

    /// <summary>Every term and phrase must match.</summary>
    public string All => string.Join(" AND ", Phrases.Concat(Terms).Select(Quote));

    /// <summary>Any term or phrase may match.</summary>
    public string Any => string.Join(" OR ", Phrases.Concat(Terms).Concat(Alternatives ?? []).Distinct(StringComparer.Ordinal).Select(Quote));

    /// <summary>A planned query: every required keyword and phrase for the AND tier, every term for the OR tier.</summary>
    public static FtsQuery Of(QueryPlan plan) => new(plan.Required, plan.Phrases, plan.Terms);

    /// <summary>The whole query as one exact phrase, or null when it is a single word.</summary>
    public string? ExactPhrase
    {
        get
        {
            var words = Phrases.Concat(Terms).ToList();
            return words.Count == 1 && Terms.Count == 1 ? null : Quote(string.Join(' ', words));
        }
    }

    private static string Quote(string text) => "\"" + text.Replace("\"", "", StringComparison.Ordinal) + "\"";
}
