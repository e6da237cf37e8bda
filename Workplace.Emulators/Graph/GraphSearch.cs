using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Workplace.Emulators.Graph;

/// <summary>
/// <c>POST /v1.0/search/query</c> for driveItems: the KQL a connector sends (words, "quoted phrases", a trailing *
/// for prefixes, OR between alternatives, NOT or - before an exclusion, <c>filetype:</c> and <c>filename:</c>), over
/// what the caller may see, ranked by matches or sorted by <c>sortProperties</c>, paged by <c>from</c>/<c>size</c>, with summaries marking the matched
/// words <c>&lt;c0&gt;…&lt;/c0&gt;</c> and cuts <c>&lt;ddd/&gt;</c>.
/// </summary>
public static partial class GraphSearch
{
    private const int DefaultSize = 25;
    private const int MaxSize = 500;
    private const int SummaryWords = 24;
    private const int MaxSorts = 5;

    private static readonly Dictionary<string, Func<GraphDriveItem, IComparable>> Sortable = new(StringComparer.OrdinalIgnoreCase)
    {
        ["lastModifiedDateTime"] = i => i.Modified,
        ["createdDateTime"] = i => i.Created,
        ["name"] = i => i.Name,
        ["size"] = i => i.Content.LongLength,
    };

    private static readonly string[] EntityTypes = ["driveItem", "listItem", "list", "site", "drive"];

    // Every term of every query is counted in every visible item: an item's words are split once (an edit is a new
    // item), not once per term and search, so the emulator's own CPU stays out of what a benchmark measures.
    private static readonly ConditionalWeakTable<GraphDriveItem, ItemWords> s_words = [];

    private sealed record ItemWords(string[] Name, string[] Text);

    private static ItemWords WordsOf(GraphDriveItem item) => s_words.GetValue(item, i => new ItemWords(Split(i.Name), Split(i.Text)));

    private static string[] Split(string text) => [.. WordPattern().Matches(text).Select(m => m.Value)];

    public static async Task<IResult> Query(HttpContext http, GraphWorkspace workspace)
    {
        SearchBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<SearchBody>(http.Request.Body, GraphJson.Api, http.RequestAborted);
        }
        catch (JsonException)
        {
            return GraphErrors.BadRequest(http, "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
        }
        if (body?.Requests is not [var request])
        {
            return GraphErrors.BadRequest(http, "The body must hold exactly one search request in 'requests'.");
        }
        if (request.EntityTypes is not { Count: > 0 } entityTypes)
        {
            return GraphErrors.BadRequest(http, "EntityTypes is required: ask for [\"driveItem\"].");
        }
        if (entityTypes.FirstOrDefault(t => !EntityTypes.Contains(t, StringComparer.OrdinalIgnoreCase)) is { } unknown)
        {
            return GraphErrors.BadRequest(http, $"Requested entity type '{unknown}' is invalid or not supported with driveItem.");
        }
        if (string.IsNullOrWhiteSpace(request.Query?.QueryString))
        {
            return GraphErrors.BadRequest(http, "Query.QueryString is required and must not be empty.");
        }
        var from = request.From ?? 0;
        var size = request.Size ?? DefaultSize;
        if (from < 0 || size is < 0 or > MaxSize)
        {
            return GraphErrors.BadRequest(http, $"'from' must be 0 or more and 'size' between 0 and {MaxSize}.");
        }

        var sorts = request.SortProperties ?? [];
        if (sorts.Count > MaxSorts)
        {
            return GraphErrors.BadRequest(http, $"At most {MaxSorts} sortProperties are supported.");
        }
        if (sorts.FirstOrDefault(s => s.Name is null || !Sortable.ContainsKey(s.Name)) is { } unsortable)
        {
            return GraphErrors.BadRequest(http, $"The property '{unsortable.Name}' is not sortable; sort by {string.Join(", ", Sortable.Keys)}.");
        }

        var query = Kql.Parse(request.Query.QueryString);
        var user = GraphCaller.Of(http).User;
        var scored = entityTypes.Contains("driveItem", StringComparer.OrdinalIgnoreCase)
            ? workspace.Items.Where(i => i.IsVisibleTo(user)).Select(i => (Item: i, Score: query.Score(i))).Where(m => m.Score > 0).ToList()
            : [];
        // Sorted by the requested properties when there are any, by relevance otherwise; ties by recency, then id, so pages are stable.
        var ordered = scored.OrderBy(_ => 0);
        foreach (var sort in sorts)
        {
            var key = Sortable[sort.Name!];
            ordered = sort.IsDescending == true ? ordered.ThenByDescending(m => key(m.Item)) : ordered.ThenBy(m => key(m.Item));
        }
        var matches = ordered.ThenByDescending(m => m.Score).ThenByDescending(m => m.Item.Modified).ThenBy(m => m.Item.Id, StringComparer.Ordinal)
            .Select(m => m.Item)
            .ToList();
        var page = matches.Skip(from).Take(size).ToList();
        var hits = page.Select((item, index) => new SearchHit(item.Id, from + index + 1, query.Summary(item), DriveItemResource.Of(item) with
        {
            ODataType = "#microsoft.graph.driveItem",
        })).ToList();
        var container = new HitsContainer(hits.Count > 0 ? hits : null, matches.Count, from + page.Count < matches.Count);
        return Results.Json(new SearchResponseCollection(
            "https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.searchResponse)",
            [new SearchResponse(query.SearchTerms, [container])]), GraphJson.Api);
    }

    private sealed record SearchBody(List<SearchRequest>? Requests);

    private sealed record SearchRequest(List<string>? EntityTypes, SearchQuery? Query, int? From, int? Size, List<SortProperty>? SortProperties);

    private sealed record SortProperty(string? Name, bool? IsDescending);

    private sealed record SearchQuery(string? QueryString);

    private sealed record SearchResponseCollection([property: JsonPropertyName("@odata.context")] string Context, IReadOnlyList<SearchResponse> Value);

    private sealed record SearchResponse(IReadOnlyList<string> SearchTerms, IReadOnlyList<HitsContainer> HitsContainers);

    private sealed record HitsContainer(IReadOnlyList<SearchHit>? Hits, int Total, bool MoreResultsAvailable);

    private sealed record SearchHit(string HitId, int Rank, string Summary, DriveItemResource Resource);

    /// <summary>A parsed query: alternatives (OR) of terms that must all match (AND), and exclusions.</summary>
    private sealed class Kql(List<List<Term>> alternatives, List<Term> exclusions)
    {
        public IReadOnlyList<string> SearchTerms => [.. alternatives.SelectMany(a => a).Where(t => t.Property is null).SelectMany(t => t.Words).Distinct()];

        public static Kql Parse(string queryString)
        {
            var alternatives = new List<List<Term>> { new() };
            var exclusions = new List<Term>();
            var negate = false;
            foreach (Match token in Tokens().Matches(queryString))
            {
                var text = token.Value;
                if (text == "OR")
                {
                    alternatives.Add([]);
                    continue;
                }
                if (text is "AND")
                {
                    continue;
                }
                if (text is "NOT")
                {
                    negate = true;
                    continue;
                }
                if (text.StartsWith('-') && text.Length > 1)
                {
                    negate = true;
                    text = text[1..];
                }
                var term = Term.Of(text);
                if (term is not null)
                {
                    (negate ? exclusions : alternatives[^1]).Add(term);
                }
                negate = false;
            }
            return new Kql([.. alternatives.Where(a => a.Count > 0)], exclusions);
        }

        public int Score(GraphDriveItem item)
        {
            if (exclusions.Any(t => t.Count(item) > 0))
            {
                return 0;
            }
            return alternatives.Select(terms => terms.Select(t => t.Count(item)).ToList())
                .Where(counts => counts.All(c => c > 0))
                .Select(counts => counts.Sum())
                .DefaultIfEmpty(0)
                .Max();
        }

        /// <summary>Up to two fragments around the first matches, matched words in <c>&lt;c0&gt;</c>, cuts as <c>&lt;ddd/&gt;</c>.</summary>
        public string Summary(GraphDriveItem item)
        {
            var words = WordPattern().Matches(item.Text);
            var values = WordsOf(item).Text;
            var terms = alternatives.SelectMany(a => a).Where(t => t.Property is null).ToList();
            var marked = new bool[words.Count];
            for (var i = 0; i < words.Count; i++)
            {
                foreach (var term in terms)
                {
                    if (term.MatchesAt(values, i, out var length))
                    {
                        Array.Fill(marked, true, i, length);
                    }
                }
            }
            var fragments = new List<(int Start, int End)>();
            for (var i = 0; i < words.Count && fragments.Count < 2; i++)
            {
                if (marked[i] && (fragments.Count == 0 || i >= fragments[^1].End))
                {
                    var start = Math.Max(0, i - SummaryWords / 3);
                    fragments.Add((start, Math.Min(words.Count, start + SummaryWords)));
                }
            }
            if (fragments.Count == 0)
            {
                fragments.Add((0, Math.Min(words.Count, SummaryWords)));
            }
            var summary = new StringBuilder();
            foreach (var (start, end) in fragments)
            {
                if (summary.Length > 0)
                {
                    summary.Append(" <ddd/> ");
                }
                for (var i = start; i < end; i++)
                {
                    if (i > start)
                    {
                        var gap = item.Text[(words[i - 1].Index + words[i - 1].Length)..words[i].Index];
                        summary.Append(Whitespace().Replace(gap, " "));
                    }
                    summary.Append(marked[i] ? $"<c0>{words[i].Value}</c0>" : words[i].Value);
                }
            }
            if (fragments[^1].End < words.Count)
            {
                summary.Append(" <ddd/>");
            }
            return summary.ToString();
        }
    }

    /// <summary>A word, a phrase, a prefix (<c>robot*</c>) or a property restriction (<c>filetype:docx</c>).</summary>
    private sealed record Term(string? Property, IReadOnlyList<string> Words, bool Prefix)
    {
        public static Term? Of(string token)
        {
            var property = PropertyRestriction().Match(token);
            if (property.Success)
            {
                return new Term(property.Groups[1].Value.ToLowerInvariant(), [property.Groups[2].Value.Trim('"').ToLowerInvariant()], false);
            }
            var prefix = token.EndsWith('*');
            var words = WordPattern().Matches(token.Trim('"').TrimEnd('*')).Select(w => w.Value.ToLowerInvariant()).ToList();
            return words.Count == 0 ? null : new Term(null, words, prefix);
        }

        public int Count(GraphDriveItem item)
        {
            switch (Property)
            {
                case "filetype":
                    return string.Equals(Path.GetExtension(item.Name).TrimStart('.'), Words[0], StringComparison.OrdinalIgnoreCase) ? 1 : 0;
                case "filename":
                case "title":
                    return item.Name.Contains(Words[0], StringComparison.OrdinalIgnoreCase) ? 1 : 0;
                case "author":
                    return item.Author.Name.Contains(Words[0], StringComparison.OrdinalIgnoreCase) ? 1 : 0;
                case not null:
                    return 0;
            }
            // A match in the name weighs as much as ten in the body, as a title match ranks higher in SharePoint.
            var words = WordsOf(item);
            return 10 * Occurrences(words.Name) + Occurrences(words.Text);
        }

        public bool MatchesAt(string[] words, int index, out int length)
        {
            length = Words.Count;
            if (Property is not null || index + Words.Count > words.Length)
            {
                return false;
            }
            for (var j = 0; j < Words.Count; j++)
            {
                var word = words[index + j];
                var last = j == Words.Count - 1;
                var matches = last && Prefix
                    ? word.StartsWith(Words[j], StringComparison.OrdinalIgnoreCase)
                    : string.Equals(word, Words[j], StringComparison.OrdinalIgnoreCase);
                if (!matches)
                {
                    return false;
                }
            }
            return true;
        }

        private int Occurrences(string[] words)
        {
            var count = 0;
            for (var i = 0; i < words.Length; i++)
            {
                count += MatchesAt(words, i, out _) ? 1 : 0;
            }
            return count;
        }
    }

    [GeneratedRegex("\"[^\"]*\"|\\S+")]
    private static partial Regex Tokens();

    [GeneratedRegex("[\\p{L}\\p{N}]+(?:['’][\\p{L}]+)?")]
    private static partial Regex WordPattern();

    [GeneratedRegex("\\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex("^(\\w+):(.+)$")]
    private static partial Regex PropertyRestriction();
}
