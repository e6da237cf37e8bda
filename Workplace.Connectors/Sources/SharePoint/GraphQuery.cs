using System.Text;

namespace Workplace.Connectors.Sources.SharePoint;

/// <summary>
/// A user's query as KQL that can only mean "all of these words and phrases": plain words go as they are (so Graph
/// stems them), and every phrase, word with punctuation or KQL keyword is quoted, so property restrictions
/// (<c>author:x</c>), operators (OR, NOT, -x, NEAR) and wildcards in user input are inert text. Null when the query
/// holds no word at all.
/// </summary>
public static class GraphQuery
{
    private static readonly HashSet<string> s_keywords = new(StringComparer.OrdinalIgnoreCase) { "AND", "OR", "NOT", "NEAR", "ONEAR", "XRANK", "WORDS" };

    public static string? ToKql(string query)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        var inQuote = false;
        void Emit()
        {
            var text = string.Join(' ', current.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
            current.Clear();
            if (text.Any(char.IsLetterOrDigit))
            {
                parts.Add(text.All(char.IsLetterOrDigit) && !s_keywords.Contains(text) ? text : $"\"{text}\"");
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
            else if (c != '\\')
            {
                current.Append(c);
            }
        }
        Emit();
        return parts.Count == 0 ? null : string.Join(' ', parts);
    }
}
