using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Microsoft.Graph.Models;
using Microsoft.Graph.Search.Query;
using Workplace.Connectors.Content;
using Workplace.Connectors.Credentials;
using Workplace.ServiceDefaults.ConnectorApi;
using GraphSearchRequest = Microsoft.Graph.Models.SearchRequest;
using SearchHit = Workplace.ServiceDefaults.ConnectorApi.SearchHit;
using SearchRequest = Workplace.ServiceDefaults.ConnectorApi.SearchRequest;
using SearchResponse = Workplace.ServiceDefaults.ConnectorApi.SearchResponse;

namespace Workplace.Connectors.Sources.SharePoint;

/// <summary>
/// Files in the user's OneDrive and the SharePoint sites they can see, through Microsoft Graph as that user: search is
/// Graph's own search over driveItems (so permissions are Graph's), fetch reads the item and downloads its content
/// from the pre-authenticated URL Graph gives, then converts it to Markdown.
/// </summary>
public sealed class SharePointSource(
    GraphCalls graph,
    DocumentCache documents,
    IOptionsMonitor<SharePointOptions> options,
    IOptionsMonitor<ProviderSourceOptions> provider,
    GraphFailures failures) : IDocumentSource
{
    public const string SourceId = "sharepoint";

    /// <summary>The configuration section's name under `Sources:`.</summary>
    public const string ConfigName = "SharePoint";

    public const string Title = "SharePoint and OneDrive";

    /// <summary>Pages of search results read at most per search, so a filter that drops most hits cannot page through a whole tenant.</summary>
    private const int MaxSearchPages = 8;

    private const string DownloadUrlKey = "@microsoft.graph.downloadUrl";

    public string Id => SourceId;

    public SourceDescriptor Descriptor => new(SourceId, Title,
        "Word, PDF, HTML, Markdown and text files in your OneDrive and the SharePoint sites you can see, searched live with Microsoft 365 search.",
        RequiresConnection: true, Emulated: provider.Get(SourceId).Emulated);

    public async Task<SearchResponse> SearchAsync(InternalPrincipal principal, SearchRequest request, CancellationToken cancellationToken)
    {
        if (GraphQuery.ToKql(request.Query) is not { } kql)
        {
            return new SearchResponse([]);
        }
        // Every keyword, and any of them, asked at once so the search costs one Graph round trip: the any-keyword
        // list only fills what the every-keyword one leaves.
        var hits = await WideningQueries.MergeAsync(SearchKqlAsync(principal, kql, request, cancellationToken),
            GraphQuery.AnyKql(request.Query) is { } any ? [SearchKqlAsync(principal, any, request, cancellationToken)] : [], h => h.Hit.Id, request.MaxResults);
        if (!request.IncludeContent)
        {
            return new SearchResponse([.. hits.Select(h => h.Hit)]);
        }
        // Content is a courtesy of search: a file that cannot be read leaves its hit without content rather than failing the search.
        var contents = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(hits, new ParallelOptions { MaxDegreeOfParallelism = options.CurrentValue.ContentConcurrency, CancellationToken = cancellationToken }, async (hit, ct) =>
        {
            try
            {
                contents[hit.Hit.Id] = (await ReadAsync(principal, hit.Hit.Id, hit.DriveId, hit.ItemId, ct)).Markdown;
            }
            catch (SourceRequestException)
            {
            }
        });
        return new SearchResponse([.. hits.Select(h => h.Hit with { Content = contents.GetValueOrDefault(h.Hit.Id) })]);
    }

    /// <summary>One KQL query's items in Graph's order, following pages until there are enough.</summary>
    private async Task<List<SearchHitCandidate>> SearchKqlAsync(InternalPrincipal principal, string kql, SearchRequest request, CancellationToken cancellationToken)
    {
        var client = graph.Client();
        var settings = options.CurrentValue;
        var hits = new List<SearchHitCandidate>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var from = 0;
        for (var page = 0; page < MaxSearchPages && hits.Count < request.MaxResults; page++)
        {
            var body = new QueryPostRequestBody
            {
                Requests =
                [
                    new GraphSearchRequest
                    {
                        EntityTypes = [EntityType.DriveItem],
                        Query = new SearchQuery { QueryString = kql },
                        From = from,
                        Size = Math.Min(settings.SearchPageSize, request.MaxResults - hits.Count),
                    },
                ],
            };
            var response = await failures.Guard(SourceId, GraphOperation.Search, () =>
                client.Search.Query.PostAsQueryPostResponseAsync(body, c => c.Options.Add(new GraphCall(principal)), cancellationToken), cancellationToken);
            var container = response?.Value?.FirstOrDefault()?.HitsContainers?.FirstOrDefault();
            var pageHits = container?.Hits ?? [];
            foreach (var found in pageHits)
            {
                if (ToHit(found, request.ModifiedAfter) is { } hit && seen.Add(hit.Hit.Id) && hits.Count < request.MaxResults)
                {
                    hits.Add(hit);
                }
            }
            if (container?.MoreResultsAvailable != true || pageHits.Count == 0)
            {
                break;
            }
            from += pageHits.Count;
        }
        return hits;
    }

    public async Task<DocumentRange> FetchAsync(InternalPrincipal principal, string nativeId, int offset, int maxChars, CancellationToken cancellationToken)
    {
        if (!SharePointItemId.TryDecode(nativeId, out var driveId, out var itemId, out var reason))
        {
            throw new SourceRequestException(SourceFailure.InvalidId, $"invalid id: {reason}. Pass a document id exactly as search returned it.");
        }
        var id = DocumentId.Create(SourceId, nativeId);
        var document = await ReadAsync(principal, id, driveId, itemId, cancellationToken);
        return DocumentRanges.Slice(document.Markdown, offset, maxChars, (content, total, next, truncated) =>
            new DocumentRange(id, SourceId, document.Title, document.Url, document.Modified, document.MimeType, content, offset, total, next, truncated));
    }

    private async Task<SharePointDocument> ReadAsync(InternalPrincipal principal, string id, string driveId, string itemId, CancellationToken cancellationToken)
    {
        var item = await failures.Guard(SourceId, GraphOperation.Fetch, () =>
            graph.Client().Drives[driveId].Items[itemId].GetAsync(c => c.Options.Add(new GraphCall(principal)), cancellationToken), cancellationToken)
            ?? throw failures.Malformed("the item's metadata was empty");
        var name = ProviderText.Title(item.Name);
        var url = Link(item.WebUrl, id);
        if (item.Folder is not null || item.File is null)
        {
            throw new SourceRequestException(SourceFailure.InvalidRequest, $"'{name}' is a folder or a package, not a file: there is nothing to read. Search for the files in it instead.");
        }
        var mimeType = item.File.MimeType ?? DocumentFormats.MimeType(name);
        if (!DocumentFormats.IsSupportedMimeType(mimeType))
        {
            throw new SourceRequestException(SourceFailure.InvalidRequest,
                $"'{name}' is a {mimeType} file, which cannot be read as text here (Word, PDF, HTML, Markdown and text can). Open it at {url}.");
        }
        var limit = options.CurrentValue.MaxDownloadBytes;
        if (item.Size > limit)
        {
            throw TooLarge(name, item.Size.Value, limit, url);
        }
        // The item call above, as the user, is the access check and names the version: cTag changes with the content
        // only, eTag with any change. The download and conversion run on a miss only.
        var markdown = await documents.GetOrReadAsync(SourceId, SharePointItemId.Encode(driveId, itemId), item.CTag ?? item.ETag,
            token => DownloadMarkdownAsync(item, name, mimeType, limit, url, token), cancellationToken);
        var modified = item.LastModifiedDateTime ?? item.FileSystemInfo?.LastModifiedDateTime ?? DateTimeOffset.UnixEpoch;
        return new SharePointDocument(name, url, modified, mimeType, markdown);
    }

    private async Task<string> DownloadMarkdownAsync(DriveItem item, string name, string mimeType, long limit, string url, CancellationToken cancellationToken)
    {
        if (!item.AdditionalData.TryGetValue(DownloadUrlKey, out var link) || link is not string downloadUrl
            || !Uri.TryCreate(downloadUrl, UriKind.Absolute, out var download) || download.Scheme is not ("https" or "http"))
        {
            throw failures.Malformed("the item came without a download URL");
        }
        using var content = await DownloadAsync(download, name, limit, url, cancellationToken);
        try
        {
            return DocumentFormats.ConvertMimeType(mimeType, content)!.Markdown;
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            var why = e is InvalidDataException ? e.Message : "it is damaged or not in the format its type says.";
            throw new SourceRequestException(SourceFailure.ProviderFailure, $"'{name}' could not be converted to Markdown: {why} Open it at {url}.", inner: e);
        }
    }

    private async Task<MemoryStream> DownloadAsync(Uri download, string name, long limit, string url, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await graph.DownloadClient().GetAsync(download, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            failures.ThrowIfDownloadFailed(response, name);
            // The size Graph reports was checked before, and the bytes are counted again here: a file may have grown since.
            var length = response.Content.Headers.ContentLength;
            return await ProviderContent.ReadBoundedAsync(response.Content, limit, cancellationToken)
                ?? throw (length > limit ? TooLarge(name, length.Value, limit, url) : TooLarge(name, limit, limit, url, atLeast: true));
        }
        catch (Exception e) when (e is not SourceRequestException && !cancellationToken.IsCancellationRequested)
        {
            throw failures.Translate(e, GraphOperation.Download);
        }
    }

    private SearchHitCandidate? ToHit(Microsoft.Graph.Models.SearchHit found, DateTimeOffset? modifiedAfter)
    {
        if (found.Resource is not DriveItem item || item.Folder is not null)
        {
            return null;
        }
        var driveId = item.ParentReference?.DriveId;
        if (!SharePointItemId.IsCarriable(driveId) || !SharePointItemId.IsCarriable(item.Id))
        {
            failures.SkippedUncarriableId();
            return null;
        }
        var modified = item.LastModifiedDateTime ?? item.FileSystemInfo?.LastModifiedDateTime ?? DateTimeOffset.UnixEpoch;
        if (modified <= modifiedAfter)
        {
            return null;
        }
        var name = ProviderText.Title(item.Name);
        var id = DocumentId.Create(SourceId, SharePointItemId.Encode(driveId, item.Id));
        var author = item.LastModifiedBy?.User?.DisplayName ?? item.CreatedBy?.User?.DisplayName;
        var score = found.Rank is int rank and > 0 ? 1.0 / rank : 0;
        var hit = new SearchHit(id, SourceId, name, Link(item.WebUrl, id), GraphSummary.ToSnippet(found.Summary), modified,
            author is null ? null : ProviderText.Title(author), item.File?.MimeType ?? DocumentFormats.MimeType(name), score, Content: null);
        return new SearchHitCandidate(hit, driveId, item.Id);
    }

    private static SourceRequestException TooLarge(string name, long size, long limit, string url, bool atLeast = false) =>
        new(SourceFailure.InvalidRequest,
            $"'{name}' is {(atLeast ? "more than " : "")}{Megabytes(size)} MB; this server reads files of up to {Megabytes(limit)} MB (Sources:SharePoint:MaxDownloadBytes). Open it at {url}.");

    private static string Megabytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);

    // The deep link into SharePoint or OneDrive; without one (never seen from Graph), the resource URI the edge serves the document under.
    private static string Link(string? webUrl, string id) =>
        Uri.TryCreate(webUrl, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            ? uri.AbsoluteUri
            : $"workplace://documents/{SourceId}/{Uri.EscapeDataString(id)}";

    private sealed record SearchHitCandidate(SearchHit Hit, string DriveId, string ItemId);

    private sealed record SharePointDocument(string Title, string Url, DateTimeOffset Modified, string MimeType, string Markdown);
}
