using Workplace.ServiceDefaults.ConnectorApi;
using Workplace.ServiceDefaults.Search;

namespace Workplace.Connectors.Sources.Files;

/// <summary>
/// Documents in a folder on this machine, the same for every user (the folder has no per-user permissions;
/// the grant of `workplace:read:files` is the whole check). Fetches are served from the index, so an id can
/// only ever name a file the indexer chose to read inside the root.
/// </summary>
public sealed class FilesSource(FilesIndex index, FilesWatcher watcher) : IDocumentSource
{
    public const string SourceId = "files";

    public string Id => SourceId;

    public SourceDescriptor Descriptor { get; } = new(SourceId, "Files", "Markdown, text, HTML and Word documents in the shared workspace folder.", RequiresConnection: false);

    public async Task<SearchResponse> SearchAsync(InternalPrincipal principal, SearchRequest request, CancellationToken cancellationToken)
    {
        await watcher.Ready.WaitAsync(cancellationToken);
        var hits = index.Search(FtsQuery.Of(QueryPlan.Parse(request.Query)), request.MaxResults, request.ModifiedAfter, request.IncludeContent);
        return new SearchResponse([.. hits.Select(hit =>
        {
            var id = DocumentId.Create(SourceId, FileNativeId.Encode(hit.Path));
            return new SearchHit(id, SourceId, hit.Title, Url(id), hit.Snippet, hit.Modified, Author: null, hit.MimeType, hit.Score, hit.Markdown);
        })]);
    }

    public async Task<DocumentRange> FetchAsync(InternalPrincipal principal, string nativeId, int offset, int maxChars, CancellationToken cancellationToken)
    {
        if (FileNativeId.TryDecode(nativeId, out var reason) is not { } path)
        {
            throw new SourceRequestException(SourceFailure.InvalidId, $"invalid id: {reason}. Pass a document id exactly as search returned it.");
        }
        await watcher.Ready.WaitAsync(cancellationToken);
        var file = index.Get(path)
            ?? throw new SourceRequestException(SourceFailure.NotFound, "No document has this id: it was deleted, moved or never existed. Search again for a current id.");
        var id = DocumentId.Create(SourceId, nativeId);
        return DocumentRanges.Slice(file.Markdown, offset, maxChars, (content, total, next, truncated) =>
            new DocumentRange(id, SourceId, file.Title, Url(id), file.Modified, file.MimeType, content, offset, total, next, truncated));
    }

    // The resource URI the edge serves the document under (ARCHITECTURE.md, resource template); a server path would leak the layout of this machine.
    private static string Url(string id) => $"workplace://documents/{SourceId}/{Uri.EscapeDataString(id)}";
}
