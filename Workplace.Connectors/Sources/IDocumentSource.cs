using Workplace.ServiceDefaults.ConnectorApi;

namespace Workplace.Connectors.Sources;

/// <summary>
/// One place documents come from (files, Google Drive, Notion, SharePoint). Every call carries the principal
/// because remote sources answer per user, with that user's credentials and permissions; implementations must
/// honour the cancellation token, since the edge gives each source a deadline.
/// </summary>
public interface IDocumentSource
{
    /// <summary>The source id: the prefix of every document id this source issues (`{id}:{native}`).</summary>
    string Id { get; }

    SourceDescriptor Descriptor { get; }

    /// <exception cref="SourceRequestException">The request cannot be answered (bad input, rate limit, provider failure).</exception>
    Task<SearchResponse> SearchAsync(InternalPrincipal principal, SearchRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the document as Markdown from <paramref name="offset"/> (chars), at most <paramref name="maxChars"/>.
    /// <paramref name="nativeId"/> is the part of the document id after `{source}:`, exactly as the caller sent it: untrusted.
    /// </summary>
    /// <exception cref="SourceRequestException">Hostile or malformed id, unknown document, offset past the end, provider failure.</exception>
    Task<DocumentRange> FetchAsync(InternalPrincipal principal, string nativeId, int offset, int maxChars, CancellationToken cancellationToken);
}
