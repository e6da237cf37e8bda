using System.Text;

namespace Workplace.Connectors.Sources.Files;

/// <summary>
/// Turns a user's query into FTS5 syntax that can only mean "these words": every token and every quoted
/// phrase becomes an FTS5 string ("..."), so operators, column filters, prefixes and NEAR in user input are
/// inert text. Quotes inside tokens are dropped; tokens with no letter or digit are dropped.
/// </summary>
public sealed record FtsQuery(IReadOnlyList<string> Terms, IReadOnlyList<string> Phrases)
{
    public bool IsEmpty => Terms.Count == 0 && Phrases.Count == 0;

    /// <summary>Every term and phrase must match.</summary>
    public string All => string.Join(" AND ", Phrases.Concat(Terms).Select(Quote));

    /// <summary>Any term or phrase may match.</summary>
    public string Any => string.Join(" OR ", Phrases.Concat(Terms).Select(Quote));

    /// <summary>The whole query as one exact phrase, or null when it is a single word.</summary>
    public string? ExactPhrase
    {
        get
        {
            var words = Phrases.Concat(Terms).ToList();
            return words.Count == 1 && Terms.Count == 1 ? null : Quote(string.Join(' ', words));
        }
    }

    public static FtsQuery Parse(string query)
    {
        var terms = new List<string>();
        var phrases = new List<string>();
        var current = new StringBuilder();
        var inQuote = false;
        void Emit()
        {
            var text = current.ToString().Trim();
            current.Clear();
            if (!text.Any(char.IsLetterOrDigit))
            {
                return;
            }
            if (inQuote && text.Contains(' ', StringComparison.Ordinal))
            {
                phrases.Add(text);
            }
            else
            {
                terms.Add(text);
            }
        }
        foreach (var c in query)
        {
            if (c == '"')
            {
                Emit();
                inQuote = !inQuote;
            }
            else if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                if (inQuote)
                {
                    current.Append(' ');
                }
                else
                {
                    Emit();
                }
            }
            else
            {
                current.Append(c);
            }
        }
        Emit();
        return new FtsQuery(terms, phrases);
    }

    private static string Quote(string text) => "\"" + text.Replace("\"", "", StringComparison.Ordinal) + "\"";
}
