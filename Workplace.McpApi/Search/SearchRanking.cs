using System.Collections.Frozen;
using System.Text;
using Workplace.ServiceDefaults.ConnectorApi;
using Workplace.ServiceDefaults.Search;

namespace Workplace.McpApi.Search;

/// <summary>One hit after fusion: its final score, rounded as the answer shows it, so pages and cursors agree on the order.</summary>
public sealed record RankedHit(SearchHit Hit, double Score);

/// <summary>
/// Fuses the sources' ranked lists into one and re-ranks the union against the whole question. Each source ranks by
/// its own engine (SQLite's bm25 over whole files, Drive's and Graph's relevance, Notion's title match), and those
/// scores are not comparable; what is comparable is what every hit carries: a title and a snippet. So:
/// <code>
/// score(d) = bm25f(q, d) / max over the union of bm25f            text match, in [0, 1]
///          + 0.5 · (k + 1) / (k + rank_s(d)),  k = 10               the source's own rank: reciprocal-rank prior, 1 at rank 1
///          + 0.05 · 2^(−age(d) / 90 days)                          recency: age behind the newest hit of the union
///          + 0.2 · howto(q, d)                                       1 when the question asks how to do something and
///                                                                    the title names a procedure (runbook, guide, checklist …)
/// bm25f(q, d) = Σ_t idf(t) · w(t, d) · (k1 + 1) / (w(t, d) + k1),   k1 = 1.2
/// w(t, d) = 3 · tf_title(t) / (1 − b + b · len_title / avg_title) + tf_snippet(t) / (1 − b + b · len_snippet / avg_snippet),  b = 0.75
/// idf(t) = ln(1 + (N − n_t + 0.5) / (n_t + 0.5)) over the N hits of the union
/// </code>
/// Terms are the plan's keywords, stemmed (<see cref="QueryPlan.Stem"/>), and its dates and quoted phrases as word
/// sequences. Recency is measured against the newest hit, not the clock, so the same hits always rank the same and a
/// cursor's keyset stays valid across a re-run. Ties fall to the id, ordinal. Duplicates: one id reached twice keeps its
/// best rank; two sources' hits with the same title (extension aside) and the same snippet text are one document, and
/// the better ranked stays. A copy whose snippet differs is kept: titles alone are not proof.
/// </summary>
public static class SearchRanking
{
    private const double TitleWeight = 3;
    private const double K1 = 1.2;
    private const double B = 0.75;
    private const double PriorK = 10;
    private const double PriorWeight = 0.5;
    private const double RecencyWeight = 0.05;
    private const double HalfLifeDays = 90;
    private const double HowToWeight = 0.2;

    // Title words (stemmed) of documents written to be followed, which is what "how do I …" asks for.
    private static readonly FrozenSet<string> s_procedureTitleWords = FrozenSet.ToFrozenSet(
        ["runbook", "playbook", "guide", "checklist", "process", "procedure", "step", "instruction", "manual", "tutorial"], StringComparer.Ordinal);

    public static IReadOnlyList<RankedHit> Rank(QueryPlan plan, IEnumerable<IReadOnlyList<SearchHit>> lists)
    {
        var terms = Terms(plan);
        var stems = terms.Where(t => t.Length == 1).Select(t => t[0]).ToHashSet(StringComparer.Ordinal);

        // Each hit's title and snippet are split into words once, for its terms and its duplicate key (a title with an
        // extension is split again without it, for the key).
        var candidates = new Dictionary<string, Candidate>(StringComparer.Ordinal);
        foreach (var list in lists)
        {
            for (var i = 0; i < list.Count; i++)
            {
                var hit = list[i];
                if (candidates.TryGetValue(hit.Id, out var known) && known.Rank <= i + 1)
                {
                    continue;
                }
                // "**" is no word: the words of a marked snippet are its plain text's.
                var titleWords = QueryPlan.Words(hit.Title);
                var snippetWords = QueryPlan.Words(hit.Snippet);
                candidates[hit.Id] = new Candidate(hit with { Snippet = Mark(hit.Snippet, stems) }, i + 1,
                    Stemmed(titleWords), Stemmed(snippetWords), SameDocumentKey(hit.Title, titleWords, snippetWords));
            }
        }
        if (candidates.Count == 0)
        {
            return [];
        }

        var all = candidates.Values.ToList();
        var avgTitle = Math.Max(1, all.Average(c => c.Title.Count));
        var avgSnippet = Math.Max(1, all.Average(c => c.Snippet.Count));
        var idf = terms.ToDictionary(t => t, t =>
        {
            var n = all.Count(c => Count(c.Title, t) + Count(c.Snippet, t) > 0);
            return Math.Log(1 + ((all.Count - n + 0.5) / (n + 0.5)));
        }, TermComparer.Instance);
        var bm25 = all.ToDictionary(c => c, c => terms.Sum(t =>
        {
            var w = (TitleWeight * Count(c.Title, t) / (1 - B + (B * c.Title.Count / avgTitle)))
                + (Count(c.Snippet, t) / (1 - B + (B * c.Snippet.Count / avgSnippet)));
            return idf[t] * w * (K1 + 1) / (w + K1);
        }));
        var best = bm25.Values.Max();
        var newest = all.Max(c => c.Hit.Modified);

        var scored = all.Select(c =>
        {
            var match = best > 0 ? bm25[c] / best : 0;
            var prior = (PriorK + 1) / (PriorK + c.Rank);
            var ageDays = Math.Max(0, (newest - c.Hit.Modified).TotalDays);
            var recency = Math.Pow(2, -ageDays / HalfLifeDays);
            var howTo = plan.AsksHowTo && c.Title.Exists(s_procedureTitleWords.Contains) ? 1 : 0;
            return (Hit: new RankedHit(c.Hit, Math.Round(match + (PriorWeight * prior) + (RecencyWeight * recency) + (HowToWeight * howTo), 6)), c.DocumentKey);
        });
        var ranked = new List<RankedHit>(all.Count);
        // Hits of one source with different ids are different documents, whatever they look like.
        var firstSource = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (hit, key) in scored.OrderByDescending(h => h.Hit.Score).ThenBy(h => h.Hit.Hit.Id, StringComparer.Ordinal))
        {
            if (!firstSource.TryGetValue(key, out var source) || source == hit.Hit.Source)
            {
                firstSource.TryAdd(key, hit.Hit.Source);
                ranked.Add(hit);
            }
        }
        return ranked;
    }

    /// <summary>
    /// The snippet with every word whose stem is a query keyword's marked `**like this**` and no other marks: each
    /// source marked by its own rules (SQLite's stems, Drive's words, Graph's highlights), the answer marks by one.
    /// </summary>
    public static string Mark(string snippet, IReadOnlySet<string> stems)
    {
        var plain = snippet.Replace("**", "", StringComparison.Ordinal);
        if (stems.Count == 0)
        {
            return plain;
        }
        var marked = new StringBuilder(plain.Length + 16);
        var copied = 0;
        foreach (var word in QueryPlan.WordPattern().EnumerateMatches(plain))
        {
            if (stems.Contains(QueryPlan.Stem(QueryPlan.Lower(plain.AsSpan(word.Index, word.Length)))))
            {
                marked.Append(plain, copied, word.Index - copied).Append("**").Append(plain, word.Index, word.Length).Append("**");
                copied = word.Index + word.Length;
            }
        }
        return copied == 0 ? plain : marked.Append(plain, copied, plain.Length - copied).ToString();
    }

    // Keywords as one stemmed word each; dates and quoted phrases as sequences of words ("2025-11" is 2025 then 11).
    private static List<string[]> Terms(QueryPlan plan) =>
    [
        .. plan.Keywords.Select(k => new[] { QueryPlan.Stem(k) })
            .Concat(plan.DateTerms.Concat(plan.Phrases).Select(t => QueryPlan.Words(t).Select(QueryPlan.Stem).ToArray()))
            .Where(t => t.Length > 0)
            .Distinct(TermComparer.Instance),
    ];

    private static List<string> Stemmed(List<string> words) => words.ConvertAll(QueryPlan.Stem);

    private static int Count(List<string> tokens, string[] term)
    {
        var count = 0;
        for (var i = 0; i + term.Length <= tokens.Count; i++)
        {
            var match = true;
            for (var j = 0; j < term.Length && match; j++)
            {
                match = string.Equals(tokens[i + j], term[j], StringComparison.Ordinal);
            }
            count += match ? 1 : 0;
        }
        return count;
    }

    private static string SameDocumentKey(string title, List<string> titleWords, List<string> snippetWords)
    {
        var nameWords = Path.GetExtension(title) is { Length: > 1 and <= 5 } extension ? QueryPlan.Words(title[..^extension.Length]) : titleWords;
        var key = new StringBuilder();
        key.AppendJoin(' ', nameWords).Append('\n').AppendJoin(' ', snippetWords);
        return key.ToString();
    }

    private sealed record Candidate(SearchHit Hit, int Rank, List<string> Title, List<string> Snippet, string DocumentKey);

    private sealed class TermComparer : IEqualityComparer<string[]>
    {
        public static TermComparer Instance { get; } = new();

        public bool Equals(string[]? x, string[]? y) => x is not null && y is not null && x.SequenceEqual(y, StringComparer.Ordinal);

        public int GetHashCode(string[] obj) => string.Join(' ', obj).GetHashCode(StringComparison.Ordinal);
    }

}
