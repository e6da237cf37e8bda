using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Workplace.ServiceDefaults.Search;

/// <summary>
/// What a question asks for, in terms every provider's search language can use. Agents ask whole questions ("the fleet
/// console is down, what do I do"), and every provider's search reads them as "all of these words": the plan keeps the
/// words that carry meaning (<see cref="Keywords"/>: lower case, without stop and question words), the user's quoted
/// <see cref="Phrases"/>, and dates written the way documents write them (<see cref="DateTerms"/>: "November 2025" is
/// also "2025-11"). A date in a question names what a document is about, not when it was edited, so dates are match
/// terms, never filters. Deterministic and cheap: mcpapi and connectors plan the same text the same way.
/// Keywords and date terms hold letters and digits only (a date term also '-'), and phrases are such words joined by
/// single spaces, so nothing a user types reaches a provider's query language as syntax. Ids and versions written with a
/// hyphen or dots ("K-305", "3.7.2") are phrases too.
/// </summary>
public sealed partial record QueryPlan(IReadOnlyList<string> Keywords, IReadOnlyList<string> Phrases, IReadOnlyList<string> DateTerms)
{
    // A question longer than this is prose, not a query: providers refuse long queries, and the first words carry the intent.
    private const int MaxKeywords = 12;

    private static readonly FrozenSet<string> s_stopWords = FrozenSet.ToFrozenSet(
    [
        "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been", "before", "being",
        "but", "by", "can", "could", "did", "do", "does", "doing", "during", "each", "else", "find", "for", "from",
        "get", "give", "go", "got", "had", "happen", "happened", "happens", "has", "have", "he", "her", "here", "him", "his", "how", "i", "if", "in", "into",
        "is", "it", "its", "just", "know", "latest", "let", "like", "look", "looking", "me", "more", "most", "much", "must",
        "my", "need", "new", "no", "not", "now", "of", "off", "on", "one", "or", "other", "our", "out", "over", "please",
        "run", "said", "say", "see", "she", "should", "show", "so", "some", "such", "tell", "than", "that", "the", "their",
        "them", "then", "there", "these", "they", "thing", "things", "this", "those", "to", "up", "us", "use", "used", "want",
        "was", "we", "were", "what", "whats", "when", "where", "which", "while", "who", "whom", "whose", "why", "will",
        "with", "would", "you", "your", "docs", "doc", "document", "documents", "anything", "something",
    ], StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, int> s_months = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["january"] = 1, ["jan"] = 1, ["february"] = 2, ["feb"] = 2, ["march"] = 3, ["mar"] = 3, ["april"] = 4, ["apr"] = 4,
        ["may"] = 5, ["june"] = 6, ["jun"] = 6, ["july"] = 7, ["jul"] = 7, ["august"] = 8, ["aug"] = 8,
        ["september"] = 9, ["sep"] = 9, ["sept"] = 9, ["october"] = 10, ["oct"] = 10, ["november"] = 11, ["nov"] = 11,
        ["december"] = 12, ["dec"] = 12,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Keywords, then date terms: every term a document may match, in the order they carry meaning.</summary>
    public IReadOnlyList<string> Terms => [.. Keywords.Concat(DateTerms).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// The keywords every provider's AND query asks for, with the phrases: without the words of a phrase (asked for
    /// whole) or of a date (which a document may write either way).
    /// </summary>
    public IReadOnlyList<string> Required { get; init; } = [];

    /// <summary>
    /// True when the question asks how to do something ("how do I …", "what should we do", "what now", "what are the
    /// steps …"): its answer is more often a runbook, guide or checklist than a document that only shares its words.
    /// Only the ranker reads it; no provider's query changes.
    /// </summary>
    public bool AsksHowTo { get; init; }

    /// <summary>True when the text holds no letter or digit: nothing can match, and no provider is asked.</summary>
    public bool IsEmpty => Keywords.Count == 0 && Phrases.Count == 0;

    /// <summary>The most specific keywords first (longer and with digits read as rarer), for providers that can afford only a few single-word queries.</summary>
    public IEnumerable<string> MostSpecific => Keywords
        .Select((word, index) => (word, index))
        .OrderByDescending(k => k.word.Any(char.IsDigit) ? k.word.Length + 4 : k.word.Length)
        .ThenBy(k => k.index)
        .Select(k => k.word);

    public static QueryPlan Parse(string text)
    {
        var phrases = new List<string>();
        var words = new List<string>();
        var quoted = false;
        foreach (var part in text.Split('"'))
        {
            var partWords = Words(part);
            if (quoted && partWords.Count > 1)
            {
                phrases.Add(string.Join(' ', partWords));
            }
            words.AddRange(partWords);
            quoted = !quoted;
        }
        // An id or version ("K-305", "RFC-017", "3.7.2") is one term to its writer, but two or three words to every
        // tokenizer: asked for as a phrase, so "k" and "305" apart (a "401(k)" and a room 305) do not match it.
        foreach (var id in Identifier().EnumerateMatches(text))
        {
            var idWords = Words(text.Substring(id.Index, id.Length));
            if (idWords.Count > 1)
            {
                phrases.Add(string.Join(' ', idWords));
            }
        }
        phrases = [.. phrases.Distinct(StringComparer.Ordinal)];

        var dates = new List<string>();
        var dateWords = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (s_months.TryGetValue(word, out var month))
            {
                // "November 2025", "November, 2025", "2025 November": a month with a year next to it is that month.
                var year = Year(words, i + 1) ?? Year(words, i - 1);
                if (year is not null)
                {
                    dates.Add(string.Create(CultureInfo.InvariantCulture, $"{year}-{month:00}"));
                    dateWords.Add(word);
                    dateWords.Add(year);
                }
            }
            else if (Quarter().IsMatch(word))
            {
                // "Q1 2026" is written "2026-Q1" as often: both are the keywords q1 and 2026, which every provider's
                // tokenizer finds in either; only the year may be missing from a document that names the quarter.
                if ((Year(words, i + 1) ?? Year(words, i - 1)) is { } year)
                {
                    dateWords.Add(year);
                }
            }
        }

        var keywords = words.Where(w => !s_stopWords.Contains(w)).Distinct(StringComparer.Ordinal).Take(MaxKeywords).ToList();
        if (keywords.Count == 0)
        {
            // A query of only stop words ("who is who") still means something to the user: search for its words.
            keywords = [.. words.Distinct(StringComparer.Ordinal).Take(MaxKeywords)];
        }
        // A phrase is asked for whole, so its words are not asked for again one by one.
        var phraseWords = phrases.SelectMany(p => p.Split(' ')).ToHashSet(StringComparer.Ordinal);
        var required = keywords.Where(k => !dateWords.Contains(k) && !phraseWords.Contains(k)).ToList();
        return new QueryPlan(keywords, phrases, [.. dates.Distinct(StringComparer.Ordinal)])
        {
            Required = required.Count > 0 || phrases.Count > 0 ? required : keywords,
            AsksHowTo = HowTo().IsMatch(string.Join(' ', words)),
        };
    }

    /// <summary>A light stemmer for ranking: plural and verb endings go, so "reviews", "reviewing" and "reviewed" meet "review".</summary>
    public static string Stem(string word)
    {
        if (word.Length <= 3 || word.Any(char.IsDigit))
        {
            return word;
        }
        foreach (var (suffix, replacement) in s_suffixes)
        {
            if (word.EndsWith(suffix, StringComparison.Ordinal) && word.Length - suffix.Length >= 3)
            {
                return word[..^suffix.Length] + replacement;
            }
        }
        return word;
    }

    private static readonly (string Suffix, string Replacement)[] s_suffixes =
    [
        ("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("ss", "ss"), ("us", "us"), ("s", ""),
    ];

    /// <summary>The words of <paramref name="text"/>: runs of letters and digits, lower case.</summary>
    public static List<string> Words(string text)
    {
        // EnumerateMatches allocates no Match per word: the ranker splits every hit's title and snippet on the hot path
        // of an uncached search, where Match objects were most of what it allocated.
        var words = new List<string>();
        foreach (var match in WordPattern().EnumerateMatches(text))
        {
            words.Add(Lower(text.AsSpan(match.Index, match.Length)));
        }
        return words;
    }

    /// <summary><paramref name="word"/> in lower case, as <see cref="Words"/> returns its words.</summary>
    public static string Lower(ReadOnlySpan<char> word)
    {
        Span<char> lower = word.Length <= 128 ? stackalloc char[word.Length] : new char[word.Length];
        word.ToLowerInvariant(lower);
        return new string(lower);
    }

    private static string? Year(List<string> words, int index) =>
        index >= 0 && index < words.Count && words[index].Length == 4 && words[index].All(char.IsAsciiDigit) && words[index][0] is '1' or '2' ? words[index] : null;

    /// <summary>What the product calls a word, wherever it splits text: a run of letters and digits.</summary>
    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    public static partial Regex WordPattern();

    // Over the question's words joined by single spaces ("what's" is "what s"). First and second person only: "how does
    // the robot dock" asks how something works, "how do I dock it" asks what to do.
    [GeneratedRegex(@"\b(how (do|can|should|would|could|shall|must) (i|we|you|a|an|one)|how to|what (do|should|can|must) (i|we|you) do|what now|what next|what (are|s) the steps|(which|what) steps|steps to|what (is|s) the (process|procedure))\b")]
    private static partial Regex HowTo();

    // Letters, a hyphen and digits; or digits with dots between them, after optional letters ("v3.8").
    [GeneratedRegex(@"(?<![\p{L}\p{N}.-])(\p{L}+-\p{N}+|\p{L}*\p{N}+(\.\p{N}+)+)(?![\p{L}\p{N}]|[.-][\p{L}\p{N}])")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^q[1-4]$")]
    private static partial Regex Quarter();
}
