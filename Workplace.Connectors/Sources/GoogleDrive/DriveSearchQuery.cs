using System.Globalization;
using Workplace.Connectors.Sources.Files;
using Workplace.ServiceDefaults.Search;

namespace Workplace.Connectors.Sources.GoogleDrive;

/// <summary>One files.list query of a search and the rank tier its results take.</summary>
public sealed record DriveSearchTier(int Tier, string Q);

/// <summary>
/// Turns a user's query into Drive's `q` language, tiered as the files source ranks (FilesIndex.Search), so results
/// mean the same in every source: files holding the whole query as a phrase first, then files holding every word
/// (and every quoted phrase), and, when those find too few, files holding any of them in their text or title. Words
/// and phrases come from the query's plan (<see cref="QueryPlan"/>: keywords without stop words, phrases, dates), then
/// become Drive string literals, so nothing a user types can add a term, an operator or a clause to `q`.
/// </summary>
public sealed class DriveSearchQuery
{
    private const string FolderMimeType = "application/vnd.google-apps.folder";

    // Drive refuses queries it finds too complex; a query of hundreds of one-letter words would be one. The first
    // words and phrases are the query's intent, the rest only narrow (every word) or widen (any word) it.
    private const int MaxClauses = 16;

    private readonly FtsQuery _query;

    private DriveSearchQuery(FtsQuery query)
    {
        _query = query;
        Words = [.. _query.Phrases.Concat(_query.Terms).Concat(_query.Alternatives ?? []).SelectMany(QueryPlan.Words).Distinct(StringComparer.Ordinal)];
    }

    public static DriveSearchQuery Parse(string query) => new(FtsQuery.Of(QueryPlan.Parse(query)));

    /// <summary>True when the query has no word to look for: nothing can match, and Drive is not asked.</summary>
    public bool IsEmpty => _query.IsEmpty;

    /// <summary>The query's words, lower case, as a snippet marks them.</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>The tier that ranks first and the one that holds every word; asked together.</summary>
    public IReadOnlyList<DriveSearchTier> PrimaryTiers(DateTimeOffset? modifiedAfter)
    {
        var filter = Filter(modifiedAfter);
        var tiers = new List<DriveSearchTier>();
        // A query that is one quoted phrase is already its own every-word tier.
        if (_query.ExactPhrase is not null && _query is not { Phrases.Count: 1, Terms.Count: 0 })
        {
            tiers.Add(new DriveSearchTier(2, $"{FullText(Phrase(string.Join(' ', _query.Phrases.Concat(_query.Terms))))}{filter}"));
        }
        tiers.Add(new DriveSearchTier(1, $"{string.Join(" and ", Clauses())}{filter}"));
        return tiers;
    }

    /// <summary>
    /// The fallback for when too few files hold every word: any word, phrase or date in the text (which for Drive
    /// includes the name) or the start of a title word; null when that is the every-word query again (one word).
    /// </summary>
    public DriveSearchTier? AnyTier(DateTimeOffset? modifiedAfter)
    {
        var terms = _query.Phrases.Concat(_query.Alternatives ?? _query.Terms).Distinct(StringComparer.Ordinal).Take(MaxClauses / 2).ToList();
        if (terms.Count < 2)
        {
            return null;
        }
        var clauses = terms.SelectMany(text => (string[])[FullText(text.Contains(' ', StringComparison.Ordinal) ? Phrase(text) : text), $"name contains {Literal(text)}"]);
        return new DriveSearchTier(0, $"({string.Join(" or ", clauses)}){Filter(modifiedAfter)}");
    }

    /// <summary>A Drive string literal: backslashes and single quotes escaped, as Drive's query language requires.</summary>
    public static string Literal(string value) =>
        "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    private IEnumerable<string> Clauses() =>
        _query.Phrases.Select(p => FullText(Phrase(p))).Concat(_query.Terms.Select(FullText)).Take(MaxClauses);

    // Inside a fullText value, double quotes make an exact phrase; FtsQuery already took them out of words and phrases.
    private static string Phrase(string words) => "\"" + words + "\"";

    private static string FullText(string value) => $"fullText contains {Literal(value)}";

    // Trashed files match unless excluded; folders hold no text to read.
    private static string Filter(DateTimeOffset? modifiedAfter) =>
        $" and trashed = false and mimeType != '{FolderMimeType}'"
        + (modifiedAfter is { } after ? $" and modifiedTime > '{after.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)}'" : "");
}
