using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Workplace.Connectors.Credentials;
using Workplace.ServiceDefaults.ConnectorApi;
using Workplace.ServiceDefaults.Search;

namespace Workplace.Connectors.Sources.Notion;

/// <summary>
/// The pages and databases a user's Notion connection can see, searched and read live as that user: Notion decides
/// what each user sees, so nothing is indexed or shared between users here.
/// </summary>
public sealed class NotionSource : IDocumentSource, IDisposable
{
    public const string SourceId = "notion";

    /// <summary>The configuration section's name under `Sources:`.</summary>
    public const string ConfigurationName = "Notion";

    public const string Title = "Notion";

    // Notion rounds last_edited_time down to the minute: a page edited within the last minute may be edited again under
    // the same time, so its Markdown is not cached until that time is safely in the past.
    private static readonly TimeSpan s_editSettling = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan UserNameLifetime = TimeSpan.FromHours(1);
    private static readonly TimeSpan UserNameRetry = TimeSpan.FromMinutes(5);

    private readonly NotionClient _notion;
    private readonly DocumentCache _documents;
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<NotionOptions> _options;

    // A person's name is the same for every caller who sees their id on a page; it is cached so authors cost a call
    // per person per hour, not per result.
    private readonly MemoryCache _userNames = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    public NotionSource(NotionClient notion, DocumentCache documents, TimeProvider time, IOptionsMonitor<NotionOptions> options, IOptionsMonitor<ProviderSourceOptions> providers)
    {
        _notion = notion;
        _documents = documents;
        _time = time;
        _options = options;
        var provider = providers.Get(SourceId);
        Descriptor = new SourceDescriptor(SourceId, Title,
            "Notion pages and databases your Notion connection can see. Notion's search matches titles only, not page text.",
            RequiresConnection: provider.TokenSource != "delegation", Emulated: provider.Emulated);
    }

    public string Id => SourceId;

    public SourceDescriptor Descriptor { get; }

    public async Task<SearchResponse> SearchAsync(InternalPrincipal principal, SearchRequest request, CancellationToken cancellationToken)
    {
        var plan = QueryPlan.Parse(request.Query);
        if (plan.IsEmpty)
        {
            return new SearchResponse([]);
        }
        var highlight = Highlighter(plan.Terms);
        // Notion matches titles only, and a title holds few of a question's words: the keywords together, and the most
        // specific alone, asked at once so the search costs one round trip and two of Notion's three requests a second
        // (a third single-word search made back-to-back searches queue behind the budget for a second each). Titles
        // holding every keyword rank first, then the single word's hits.
        var every = string.Join(' ', plan.Phrases.Concat(plan.Required));
        var singles = (plan.Required.Count > 1 ? plan.MostSpecific.Where(plan.Required.Contains).Take(1) : []).Where(w => w != every);
        var found = await WideningQueries.MergeAsync(SearchTitlesAsync(principal, every, request, paged: true, cancellationToken),
            [.. singles.Select(word => SearchTitlesAsync(principal, word, request, paged: false, cancellationToken))], f => f.DocumentId, request.MaxResults);

        var hits = new List<SearchHit>(found.Count);
        for (var rank = 0; rank < found.Count; rank++)
        {
            var item = found[rank];
            var author = item.EditedBy is { } editor ? await UserNameAsync(principal, editor, cancellationToken) : null;
            var content = request.IncludeContent ? await ContentAsync(principal, item, cancellationToken) : null;
            // The title only: the page's first text would cost a block children call per hit, and ten hits at
            // Notion's three requests a second add over three seconds to every search.
            var snippet = (item.Kind == NotionObjectKind.DataSource ? "Database: " : "") + highlight(item.Title);
            hits.Add(new SearchHit(item.DocumentId, SourceId, item.Title, item.Url, snippet, item.Modified, author, MimeType: null, Score: 1.0 / (1 + rank), content));
        }
        return new SearchResponse(hits);
    }

    /// <summary>
    /// One title search in Notion's order; <paramref name="paged"/> follows further pages (up to MaxSearchCalls) while
    /// a time filter leaves the list short. With a time filter, newest first: the first result edited before it ends the search.
    /// </summary>
    private async Task<List<Found>> SearchTitlesAsync(InternalPrincipal principal, string query, SearchRequest request, bool paged, CancellationToken cancellationToken)
    {
        var limits = _options.CurrentValue;
        var sort = request.ModifiedAfter is null ? null : new NotionSort("last_edited_time", "descending");
        var found = new List<Found>();
        string? cursor = null;
        for (var call = 0; call < (paged ? limits.MaxSearchCalls : 1) && found.Count < request.MaxResults; call++)
        {
            var pageSize = Math.Min(limits.SearchPageSize, request.MaxResults);
            var list = await _notion.SearchAsync(principal, new NotionSearchRequest(query, pageSize, cursor, sort), cancellationToken);
            var older = false;
            foreach (var result in list.Results ?? throw Malformed("search result"))
            {
                if (Read(result) is not { } item)
                {
                    continue;
                }
                if (request.ModifiedAfter is { } after && item.Modified <= after)
                {
                    older = true;
                    break;
                }
                found.Add(item);
                if (found.Count == request.MaxResults)
                {
                    break;
                }
            }
            if (older || !list.HasMore || list.NextCursor is null || list.Results.Count == 0)
            {
                break;
            }
            cursor = list.NextCursor;
        }
        return found;
    }

    public async Task<DocumentRange> FetchAsync(InternalPrincipal principal, string nativeId, int offset, int maxChars, CancellationToken cancellationToken)
    {
        if (NotionNativeId.TryParse(nativeId, out var reason) is not { } target)
        {
            throw new SourceRequestException(SourceFailure.InvalidId, $"invalid id: {reason}. Pass a document id exactly as search returned it.");
        }
        var document = await ReadAsync(principal, target.Kind, target.Id, cancellationToken);
        return DocumentRanges.Slice(document.Markdown, offset, maxChars, (content, total, next, truncated) =>
            new DocumentRange(document.DocumentId, SourceId, document.Title, document.Url, document.Modified, MimeType: null, content, offset, total, next, truncated));
    }

    public void Dispose() => _userNames.Dispose();

    private sealed record Found(NotionObjectKind Kind, Guid Id, string DocumentId, string Title, string Url, DateTimeOffset Modified, Guid? EditedBy);

    private sealed record Document(string DocumentId, string Title, string Url, DateTimeOffset Modified, string Markdown);

    /// <summary>A search result as a hit, or null for what search does not return (trashed objects, object kinds Notion may add).</summary>
    private static Found? Read(JsonElement result)
    {
        try
        {
            switch (result.Deserialize(NotionJsonContext.Default.NotionObjectHeader)?.Kind)
            {
                case "page":
                    var page = result.Deserialize(NotionJsonContext.Default.NotionPage)!;
                    return page.InTrash || page.Archived || !Guid.TryParse(page.Id, out var pageId) ? null
                        : new Found(NotionObjectKind.Page, pageId, DocumentId.Create(SourceId, NotionNativeId.Page(pageId)), page.Title,
                            page.Url ?? NotionMarkdown.Link(page.Id), page.LastEditedTime, UserId(page.LastEditedBy));
                case "data_source":
                    var source = result.Deserialize(NotionJsonContext.Default.NotionDataSource)!;
                    return source.InTrash || source.Archived || !Guid.TryParse(source.Id, out var sourceId) ? null
                        : new Found(NotionObjectKind.DataSource, sourceId, DocumentId.Create(SourceId, NotionNativeId.DataSource(sourceId)), source.Name,
                            source.Url ?? NotionMarkdown.Link(source.Id), source.LastEditedTime, UserId(source.LastEditedBy));
                default:
                    return null;
            }
        }
        catch (JsonException e)
        {
            throw new SourceRequestException(SourceFailure.ProviderFailure, "Notion answered with a search result that is not the JSON its API documents. Try again; if it persists, report it to the administrator.", inner: e);
        }
    }

    /// <summary>A hit's Markdown; null when it cannot be read whole (too large, gone since the search), which its fetch then explains.</summary>
    private async Task<string?> ContentAsync(InternalPrincipal user, Found item, CancellationToken cancellationToken)
    {
        try
        {
            return (await ReadAsync(user, item.Kind, item.Id, cancellationToken)).Markdown;
        }
        catch (SourceRequestException e) when (e.Failure is SourceFailure.ProviderFailure or SourceFailure.NotFound)
        {
            return null;
        }
    }

    private async Task<Document> ReadAsync(InternalPrincipal user, NotionObjectKind kind, Guid id, CancellationToken cancellationToken)
    {
        if (kind == NotionObjectKind.DataSource)
        {
            return await ReadDataSourceAsync(user, id, cancellationToken);
        }
        var page = await _notion.GetPageAsync(user, id, cancellationToken);
        if (page.InTrash || page.Archived)
        {
            throw new SourceRequestException(SourceFailure.NotFound, "This Notion page is in the trash. Restore it in Notion to read it, or search again for a current page.");
        }
        var url = page.Url ?? NotionMarkdown.Link(id.ToString("D"));
        var documentId = DocumentId.Create(SourceId, NotionNativeId.Page(id));
        // The page call above, as the user, is the access check and names the version; the blocks are walked on a miss only.
        var version = page.LastEditedTime < _time.GetUtcNow() - s_editSettling ? page.LastEditedTime.UtcTicks.ToString(CultureInfo.InvariantCulture) : null;
        var markdown = await _documents.GetOrReadAsync(SourceId, NotionNativeId.Page(id), version, async token =>
            NotionMarkdown.Page(page.Title, await new Walk(_notion, user, _options.CurrentValue, url).ChildrenAsync(id, 1, token)), cancellationToken);
        return new Document(documentId, page.Title, url, page.LastEditedTime, markdown);
    }

    /// <summary>A database as the list of its rows, each a page to fetch on its own.</summary>
    private async Task<Document> ReadDataSourceAsync(InternalPrincipal user, Guid id, CancellationToken cancellationToken)
    {
        var source = await _notion.GetDataSourceAsync(user, id, cancellationToken);
        var url = source.Url ?? NotionMarkdown.Link(id.ToString("D"));
        var limit = _options.CurrentValue.MaxBlocks;
        var rows = new List<string>();
        string? cursor = null;
        do
        {
            var list = await _notion.QueryDataSourceAsync(user, id, cursor, cancellationToken);
            foreach (var row in list.Results ?? throw Malformed("database"))
            {
                if (row is null || !Guid.TryParse(row.Id, out _))
                {
                    throw Malformed("database");
                }
                if (rows.Count == limit)
                {
                    throw TooLarge($"more than {limit} rows", "MaxBlocks", url);
                }
                if (!row.InTrash && !row.Archived)
                {
                    rows.Add($"- [{row.Title.Replace("]", "\\]", StringComparison.Ordinal)}]({row.Url ?? NotionMarkdown.Link(row.Id)}) (edited {row.LastEditedTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})");
                }
            }
            cursor = list.HasMore && list.Results.Count > 0 ? list.NextCursor : null;
        }
        while (cursor is not null);
        var markdown = $"# {source.Name}\n\n" + (rows.Count == 0 ? "This database has no rows you can see." : string.Join('\n', rows)) + "\n";
        return new Document(DocumentId.Create(SourceId, NotionNativeId.DataSource(id)), source.Name, url, source.LastEditedTime, markdown);
    }

    /// <summary>The blocks below a page, depth first, bounded in depth and count so a huge or hostile page ends in a clear error.</summary>
    private sealed class Walk(NotionClient notion, InternalPrincipal user, NotionOptions limits, string pageUrl)
    {
        private int _blocks;

        public async Task<IReadOnlyList<NotionBlockNode>> ChildrenAsync(Guid parentId, int depth, CancellationToken cancellationToken)
        {
            var nodes = new List<NotionBlockNode>();
            string? cursor = null;
            do
            {
                var list = await notion.ListChildrenAsync(user, parentId, cursor, cancellationToken);
                foreach (var block in list.Results ?? throw Malformed("block"))
                {
                    // Ids go into the next call's path: only a UUID may, whatever a broken or hostile answer holds.
                    if (block is null || !Guid.TryParse(block.Id, out var blockId) || string.IsNullOrEmpty(block.Type))
                    {
                        throw Malformed("block");
                    }
                    if (++_blocks > limits.MaxBlocks)
                    {
                        throw TooLarge($"more than {limits.MaxBlocks} blocks", "MaxBlocks", pageUrl);
                    }
                    IReadOnlyList<NotionBlockNode> children = [];
                    // A child page or database is a document of its own: it is linked, not inlined.
                    if (block.HasChildren && block.Type is not ("child_page" or "child_database"))
                    {
                        if (depth == limits.MaxDepth)
                        {
                            throw TooLarge($"blocks nested more than {limits.MaxDepth} deep", "MaxDepth", pageUrl);
                        }
                        children = await ChildrenAsync(blockId, depth + 1, cancellationToken);
                    }
                    nodes.Add(new NotionBlockNode(block, children));
                }
                cursor = list.HasMore && list.Results.Count > 0 ? list.NextCursor : null;
            }
            while (cursor is not null);
            return nodes;
        }
    }

    private static SourceRequestException TooLarge(string what, string setting, string url) => new(SourceFailure.ProviderFailure,
        $"This Notion page has {what}, more than this server reads for one document (Sources:Notion:{setting}). Open it in Notion instead: {url}");

    private static SourceRequestException Malformed(string what) => new(SourceFailure.ProviderFailure,
        $"Notion answered with a {what} list that is not the JSON its API documents. Try again; if it persists, report it to the administrator.");

    private static Guid? UserId(NotionUserReference? user) => Guid.TryParse(user?.Id, out var id) ? id : null;

    private async Task<string?> UserNameAsync(InternalPrincipal principal, Guid userId, CancellationToken cancellationToken)
    {
        if (_userNames.TryGetValue(userId, out string? cached))
        {
            return cached;
        }
        string? name = null;
        var lifetime = UserNameLifetime;
        try
        {
            name = (await _notion.GetUserAsync(principal, userId, cancellationToken)).Name is { } named ? ProviderText.Title(named) : null;
        }
        catch (SourceRequestException)
        {
            // Without the "read user information" capability Notion refuses: results go without their author, and
            // the question is asked again later rather than on every search.
            lifetime = UserNameRetry;
        }
        _userNames.Set(userId, name, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = lifetime });
        return name;
    }

    /// <summary>Marks the query's words in a title as `**word**`, as the other sources mark matches in their snippets.</summary>
    private static Func<string, string> Highlighter(IReadOnlyList<string> terms)
    {
        var words = terms.Distinct(StringComparer.OrdinalIgnoreCase).OrderByDescending(w => w.Length).Select(Regex.Escape).ToList();
        if (words.Count == 0)
        {
            return title => title;
        }
        // Whole words from where a term starts, so "review" marks "**reviews**" and "on" marks nothing inside "Rollback".
        var pattern = new Regex($@"\b((?:{string.Join('|', words)})\w*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200));
        return title => pattern.Replace(title, "**$1**");
    }
}
