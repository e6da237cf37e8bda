using System.Text.RegularExpressions;

namespace Workplace.Emulators.Google.Workspace;

/// <summary>
/// The searchable words of a file (name, description, content), as Drive's fullText matches them: whole words,
/// case-insensitive, a double-quoted value as an exact phrase.
/// </summary>
public sealed partial class DriveText(Func<string> text)
{
    private readonly Lazy<string[]> _words = new(() => Words(text()).ToArray());
    // Word counts, so that neither a ranking nor a phrase that cannot match walks every word of a long file: the sample
    // Drive holds a 10 MB export, which made each search scan millions of words and swamped the latency a bench sets.
    private readonly Lazy<Dictionary<string, int>> _counts = new(() => Words(text()).CountBy(w => w, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal));

    public bool Contains(string value)
    {
        var trimmed = value.Trim();
        var phrase = trimmed.Length > 1 && trimmed.StartsWith('"') && trimmed.EndsWith('"');
        var wanted = Words(trimmed).ToArray();
        if (wanted.Length == 0)
        {
            return false;
        }
        var counts = _counts.Value;
        return wanted.All(counts.ContainsKey) && (!phrase || ContainsPhrase(wanted));
    }

    /// <summary>How often the words occur: the relevance fullText results come in.</summary>
    public int Count(IEnumerable<string> words)
    {
        var counts = _counts.Value;
        return words.Distinct(StringComparer.Ordinal).Sum(w => counts.GetValueOrDefault(w));
    }

    private bool ContainsPhrase(string[] wanted)
    {
        var words = _words.Value;
        for (var i = 0; i + wanted.Length <= words.Length; i++)
        {
            if (words.AsSpan(i, wanted.Length).SequenceEqual(wanted))
            {
                return true;
            }
        }
        return false;
    }

    public static IEnumerable<string> Words(string text) =>
        WordPattern().Matches(text).Select(m => m.Value.ToLowerInvariant());

    /// <summary><c>name contains</c>: a case-insensitive prefix of the name or of one of its words.</summary>
    public static bool NameHasPrefix(string name, string value)
    {
        if (value.Length == 0)
        {
            return true;
        }
        for (var at = name.IndexOf(value, StringComparison.OrdinalIgnoreCase); at >= 0; at = name.IndexOf(value, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            if (at == 0 || !char.IsLetterOrDigit(name[at - 1]))
            {
                return true;
            }
        }
        return false;
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();
}
