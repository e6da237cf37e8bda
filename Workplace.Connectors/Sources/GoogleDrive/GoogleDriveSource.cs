using Microsoft.Extensions.Options;
using Workplace.Connectors.Content;
using Workplace.Connectors.Credentials;
using Workplace.ServiceDefaults.ConnectorApi;

namespace Workplace.Connectors.Sources.GoogleDrive;

/// <summary>
/// A person's Google Drive (My Drive, files shared with them, their shared drives), searched and read live with their
/// own token, so every result is one Drive shows them. Drive ranks full-text results but gives no score or snippet:
/// scores come from the rank, snippets from the text at hand (<see cref="DriveSnippet"/>).
/// </summary>
public sealed class GoogleDriveSource(
    DriveClient drive, DocumentCache documents, IOptionsMonitor<ProviderSourceOptions> providers, IOptions<GoogleDriveOptions> options, ILogger<GoogleDriveSource> logger)
    : IDocumentSource
{
    public const string SourceId = "google_drive";
    public const string ConfigurationName = "GoogleDrive";
    public const string Title = "Google Drive";

    private const string GoogleDocument = "application/vnd.google-apps.document";
    private const string GoogleSpreadsheet = "application/vnd.google-apps.spreadsheet";
    private const string GooglePresentation = "application/vnd.google-apps.presentation";
    private const string GoogleTypePrefix = "application/vnd.google-apps.";

    // Contents read at once for include_content: enough to overlap Drive's latency, few enough to stay polite.
    private const int ContentReadsAtOnce = 4;

    public string Id => SourceId;

    public SourceDescriptor Descriptor { get; } = new(SourceId, Title,
        "Google Docs, Word, PDF, HTML and text files in your My Drive, shared with you, and in your shared drives, searched live by their full text as you.",
        RequiresConnection: true, Emulated: providers.Get(SourceId).Emulated);

    public async Task<SearchResponse> SearchAsync(InternalPrincipal principal, SearchRequest request, CancellationToken cancellationToken)
    {
        var query = DriveSearchQuery.Parse(request.Query);
        if (query.IsEmpty)
        {
            return new SearchResponse([]);
        }
        // Every tier at once, so the search costs one Drive round trip: the any-word tier only fills what the others leave.
        // Not with content: every file of a widened list would be exported, which costs more than the deadline allows
        // (mcpapi asks for the content of the page it returns instead).
        var any = request.IncludeContent ? null : query.AnyTier(request.ModifiedAfter);
        var (primary, widening) = await WideningQueries.AskAsync(
            Task.WhenAll(query.PrimaryTiers(request.ModifiedAfter).Select(tier => ListTierAsync(principal, tier, request.MaxResults, cancellationToken))),
            any is null ? [] : [Task.WhenAll(ListTierAsync(principal, any, request.MaxResults, cancellationToken))]);
        var ranked = Rank(primary.Concat(widening.SelectMany(w => w)), request.MaxResults);

        var contents = new string?[ranked.Count];
        if (request.IncludeContent)
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, ranked.Count),
                new ParallelOptions { MaxDegreeOfParallelism = ContentReadsAtOnce, CancellationToken = cancellationToken },
                async (i, token) => contents[i] = await TryReadMarkdownAsync(principal, ranked[i].File, token));
        }
        return new SearchResponse([.. ranked.Select((hit, i) =>
        {
            var file = hit.File;
            var snippet = DriveSnippet.Around(contents[i], query.Words)
                ?? DriveSnippet.Around(file.Description, query.Words)
                ?? DriveSnippet.Around(file.Name, query.Words)
                ?? DriveSnippet.Opening(file.Description ?? contents[i] ?? file.Name);
            return new SearchHit(DocumentId.Create(SourceId, file.Id), SourceId, file.Name, Url(file), snippet, file.ModifiedTime ?? DateTimeOffset.UnixEpoch,
                Author(file), file.MimeType, hit.Score, contents[i]);
        })]);
    }

    public async Task<DocumentRange> FetchAsync(InternalPrincipal principal, string nativeId, int offset, int maxChars, CancellationToken cancellationToken)
    {
        if (!DriveFileId.IsValid(nativeId))
        {
            throw new SourceRequestException(SourceFailure.InvalidId,
                $"invalid id: a Google Drive id is 1 to {DriveFileId.MaxLength} letters, digits, '-' and '_'. Pass a document id exactly as search returned it.");
        }
        var file = await drive.GetAsync(principal, nativeId, cancellationToken);
        var markdown = await ReadMarkdownAsync(principal, file, cancellationToken);
        var id = DocumentId.Create(SourceId, nativeId);
        return DocumentRanges.Slice(markdown, offset, maxChars, (content, total, next, truncated) =>
            new DocumentRange(id, SourceId, file.Name, Url(file), file.ModifiedTime ?? DateTimeOffset.UnixEpoch, file.MimeType, content, offset, total, next, truncated));
    }

    /// <summary>One tier's files in Drive's relevance order, following pages until there are enough.</summary>
    private async Task<(int Tier, List<DriveFile> Files)> ListTierAsync(InternalPrincipal principal, DriveSearchTier tier, int maxResults, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var files = new List<DriveFile>();
        string? pageToken = null;
        for (var page = 0; page < settings.MaxPages && files.Count < maxResults; page++)
        {
            var list = await drive.ListAsync(principal, tier.Q, Math.Min(settings.PageSize, maxResults - files.Count), pageToken, cancellationToken);
            files.AddRange(list.Files ?? []);
            if ((pageToken = list.NextPageToken) is null)
            {
                break;
            }
        }
        return (tier.Tier, files);
    }

    /// <summary>
    /// Higher tiers first, each file once, in Drive's order within a tier. Drive gives no relevance figure, so the score
    /// is the tier plus a share of rank that falls down the list and stays below the next tier, as the files source's does.
    /// </summary>
    private static List<(DriveFile File, double Score)> Rank(IEnumerable<(int Tier, List<DriveFile> Files)> tiers, int maxResults)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var ranked = new List<(DriveFile, double)>();
        foreach (var (tier, files) in tiers.OrderByDescending(t => t.Tier))
        {
            var rank = 0;
            foreach (var file in files)
            {
                // An id that fetch would refuse is no result to offer.
                if (ranked.Count < maxResults && DriveFileId.IsValid(file.Id) && seen.Add(file.Id))
                {
                    ranked.Add((file, tier + (1.0 / (2 + rank++))));
                }
            }
        }
        return ranked;
    }

    /// <summary>A file's Markdown for include_content; null, and logged, when this file cannot be read as text.</summary>
    private async Task<string?> TryReadMarkdownAsync(InternalPrincipal principal, DriveFile file, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadMarkdownAsync(principal, file, cancellationToken);
        }
        catch (SourceRequestException e) when (e.Failure is SourceFailure.InvalidRequest or SourceFailure.NotFound)
        {
            DriveTrace.ContentSkipped(logger, file.Id, e.Message);
            return null;
        }
    }

    /// <summary>
    /// The Markdown of the version of <paramref name="file"/> that the user's own metadata call just named (Drive's
    /// <c>version</c>, else <c>modifiedTime</c>), from the document cache or read from Drive.
    /// </summary>
    private Task<string> ReadMarkdownAsync(InternalPrincipal principal, DriveFile file, CancellationToken cancellationToken) =>
        documents.GetOrReadAsync(SourceId, file.Id, file.Version ?? file.ModifiedTime?.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture),
            token => ConvertFromDriveAsync(principal, file, token), cancellationToken);

    /// <summary>
    /// Google Docs as Drive exports them (Markdown, else plain text), Sheets as CSV (the first sheet, all Drive exports),
    /// Slides as plain text; other files downloaded and converted by their MIME type.
    /// </summary>
    private async Task<string> ConvertFromDriveAsync(InternalPrincipal principal, DriveFile file, CancellationToken cancellationToken)
    {
        switch (file.MimeType)
        {
            case GoogleDocument:
                if (await drive.ExportAsync(principal, file.Id, "text/markdown", cancellationToken) is { } markdown)
                {
                    return Convert(file, "text/markdown", markdown);
                }
                return Convert(file, "text/plain", await drive.ExportAsync(principal, file.Id, "text/plain", cancellationToken) ?? throw Unreadable(file));
            case GoogleSpreadsheet:
                using (var csv = await drive.ExportAsync(principal, file.Id, "text/csv", cancellationToken) ?? throw Unreadable(file))
                {
                    return SheetCsv.ToMarkdown(csv);
                }
            case GooglePresentation:
                return Convert(file, "text/plain", await drive.ExportAsync(principal, file.Id, "text/plain", cancellationToken) ?? throw Unreadable(file));
            case var other when other.StartsWith(GoogleTypePrefix, StringComparison.Ordinal):
                throw Unreadable(file);
            default:
                if (file.Size > options.Value.MaxDownloadBytes)
                {
                    throw drive.TooLarge();
                }
                return Convert(file, file.MimeType, await drive.DownloadAsync(principal, file.Id, cancellationToken));
        }
    }

    private static string Convert(DriveFile file, string mimeType, MemoryStream content)
    {
        using (content)
        {
            ConvertedDocument? converted;
            try
            {
                converted = DocumentFormats.ConvertMimeType(mimeType, content);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new SourceRequestException(SourceFailure.InvalidRequest,
                    $"'{file.Name}' could not be read as {mimeType}: the file may be damaged. Open it in Google Drive instead.", inner: e);
            }
            return converted?.Markdown ?? throw Unreadable(file);
        }
    }

    private static SourceRequestException Unreadable(DriveFile file) => new(SourceFailure.InvalidRequest,
        $"{Kind(file.MimeType)} files cannot be read as text here, so '{file.Name}' cannot be fetched. Open it in Google Drive instead: {Url(file)}");

    private static string Kind(string mimeType) => mimeType switch
    {
        "application/vnd.google-apps.folder" => "Google Drive folder",
        _ when mimeType.StartsWith(GoogleTypePrefix, StringComparison.Ordinal) => $"Google {mimeType[GoogleTypePrefix.Length..]}",
        _ => $"'{mimeType}'",
    };

    // The deep link into Drive's own UI, which Drive sends for every file; anything but an https link is not one.
    private static string Url(DriveFile file) =>
        Uri.TryCreate(file.WebViewLink, UriKind.Absolute, out var link) && link.Scheme == Uri.UriSchemeHttps ? link.AbsoluteUri : $"https://drive.google.com/open?id={Uri.EscapeDataString(file.Id)}";

    private static string? Author(DriveFile file) =>
        Name(file.LastModifyingUser) ?? file.Owners?.Select(Name).FirstOrDefault(n => n is not null);

    private static string? Name(DriveUser? user) => user?.DisplayName is { Length: > 0 } name ? name : user?.EmailAddress;
}
