using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Workplace.McpApi.Auth;
using Workplace.McpApi.Connect;
using Workplace.McpApi.Sources;
using Workplace.ServiceDefaults.ConnectorApi;
using Workplace.ServiceDefaults.Search;

namespace Workplace.McpApi.Search;

/// <summary>
/// Plans a search, fans it out to every requested source in parallel, fuses and re-ranks the hits (<see cref="SearchRanking"/>),
/// caches the ranked list per user, and answers one page of it, with content for that page only when asked.
/// </summary>
public sealed class SearchService(
    ConnectorClient connectors,
    ISourceAccess access,
    SearchCache cache,
    SearchCursor cursors,
    SearchMetrics metrics,
    IOptions<SearchOptions> options,
    SourceFaultLog faults,
    ConnectLinks links,
    TimeProvider time)
{
    /// <exception cref="SearchCursorException">The arguments' cursor was altered or belongs to another search.</exception>
    public async Task<SearchOutcome> SearchAsync(SearchArguments arguments, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var principal = access.Principal(user);
        var sources = (arguments.Sources ?? SourceIds.All.Where(principal.GrantedSources.Contains).ToList()).Distinct(StringComparer.Ordinal).ToList();
        var key = CacheKey(principal.UserId, arguments, sources);
        var after = arguments.Cursor is { } cursor ? cursors.Read(cursor, key) : (SearchPosition?)null;

        // The whole ranked list is cached, not a page: the next page is a slice of it, and max_results and
        // include_content do not split the cache.
        var ranked = await cache.GetOrSearchAsync(key,
            () => FanOutAsync(arguments, sources, principal, user),
            // Failures are not cached: a source that timed out now may answer in a second. Nor is a source that needs
            // connecting: the user is about to connect it, and the next search must see that.
            outcome => outcome.Sources.All(s => s.Status is SourceStatusCodes.Ok or SourceStatusCodes.Unauthorized or SourceStatusCodes.NotDeployed),
            cancellationToken);

        var start = after is { } position ? IndexAfter(ranked.Results, position) : 0;
        var page = start == 0 ? FirstPage(ranked, arguments.MaxResults, key) : Page(ranked, start, arguments.MaxResults, key);
        return arguments.IncludeContent && page.Results.Count > 0
            ? page with { Results = await WithContentAsync([.. page.Results], principal, cancellationToken) }
            : page;
    }

    // Nearly every hit of a cached list asks for its first page: it is cut, and its cursor sealed, once per list (the
    // latest size asked), so the same page instance also carries its JSON (SearchTool). Later pages are cut per call,
    // which keeps what a list holds on to at one page.
    private static readonly ConditionalWeakTable<SearchOutcome, SearchOutcome> s_firstPages = [];

    private SearchOutcome FirstPage(SearchOutcome ranked, int count, string key)
    {
        if (s_firstPages.TryGetValue(ranked, out var first) && first.Results.Count == Math.Min(count, ranked.Results.Count))
        {
            return first;
        }
        var page = Page(ranked, 0, count, key);
        s_firstPages.AddOrUpdate(ranked, page);
        return page;
    }

    private SearchOutcome Page(SearchOutcome ranked, int start, int count, string key)
    {
        var page = ranked.Results.Skip(start).Take(count).ToList();
        var next = page.Count > 0 && start + page.Count < ranked.Results.Count
            ? cursors.Create(key, new SearchPosition(page[^1].Score, page[^1].Id))
            : null;
        return new SearchOutcome(page, ranked.Sources, next);
    }

    // The list is in (score down, id up) order, so the page after a position starts at the first result past it; a
    // re-run after the cached list expired finds its place the same way and repeats nothing the agent has seen.
    private static int IndexAfter(IReadOnlyList<SearchResultItem> results, SearchPosition position)
    {
        for (var i = 0; i < results.Count; i++)
        {
            if (position.IsBefore(results[i].Score, results[i].Id))
            {
                return i;
            }
        }
        return results.Count;
    }

    private async Task<SearchOutcome> FanOutAsync(SearchArguments arguments, IReadOnlyList<string> sources, InternalPrincipal principal, ClaimsPrincipal user)
    {
        var settings = options.Value;
        // Content is fetched for the page returned, after ranking, never by the sources for every hit.
        var request = new SearchRequest(arguments.Query, settings.SourceDepth, IncludeContent: false, arguments.ModifiedAfter);
        var calls = sources.Select(source => SearchOneAsync(source, request, principal, user)).ToArray();
        var answers = await Task.WhenAll(calls);
        foreach (var answer in answers)
        {
            metrics.RecordSource(answer.Status.Source, answer.Status.Status, answer.Status.LatencyMs);
        }

        var ranked = SearchRanking.Rank(QueryPlan.Parse(arguments.Query), answers.Select(a => a.Hits));
        var results = ranked.Take(settings.RankedDepth).Select(x => new SearchResultItem(x.Hit.Id, x.Hit.Source, x.Hit.Title, x.Hit.Url, x.Hit.Snippet,
            x.Hit.Modified, x.Hit.Author, x.Hit.MimeType, x.Score, Content: null, ContentTruncated: null)).ToList();
        return new SearchOutcome(results, [.. answers.Select(a => a.Status)]);
    }

    // Each result's first range through the documents endpoint, all at once, sharing the content budget evenly; a cut
    // is flagged (content_truncated) and fetch continues from offset = content length. A result whose document cannot
    // be read keeps its place and says why (content_error) instead of failing the search.
    private async Task<List<SearchResultItem>> WithContentAsync(List<SearchResultItem> page, InternalPrincipal principal, CancellationToken cancellationToken)
    {
        var budget = Math.Max(1, options.Value.MaxContentChars / page.Count);
        return [.. await Task.WhenAll(page.Select(async item =>
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(options.Value.PerSourceTimeout);
            try
            {
                var range = await connectors.GetDocumentAsync(item.Id, 0, budget, principal, deadline.Token);
                return range.Succeeded
                    ? item with { Content = range.Value!.Content, ContentTruncated = range.Value.Truncated }
                    : item with { ContentError = $"The content could not be read: {range.Message} Fetch {item.Id} to try again." };
            }
            catch (Exception e) when (e is HttpRequestException or JsonException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return item with { ContentError = $"The content could not be read in time. Fetch {item.Id} to read it." };
            }
        }))];
    }

    private sealed record SourceAnswer(SourceStatus Status, IReadOnlyList<SearchHit> Hits);

    private async Task<SourceAnswer> SearchOneAsync(string source, SearchRequest request, InternalPrincipal principal, ClaimsPrincipal user)
    {
        var started = Stopwatch.GetTimestamp();
        long Elapsed() => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        if (!principal.GrantedSources.Contains(source))
        {
            return new(new SourceStatus(source, SourceStatusCodes.Unauthorized, 0, 0,
                $"Your token does not grant {SourceIds.ReadScope(source)}. Ask for that scope to search {source}."), []);
        }

        using var deadline = new CancellationTokenSource(options.Value.PerSourceTimeout);
        try
        {
            var result = await connectors.SearchAsync(source, request, principal, deadline.Token);
            if (result.Succeeded)
            {
                // A connector must not answer for another source; such hits are dropped rather than mislabelled.
                var hits = result.Value!.Results.Where(h => string.Equals(h.Source, source, StringComparison.Ordinal)).ToList();
                faults.Answered(source);
                return new(new SourceStatus(source, SourceStatusCodes.Ok, hits.Count, Elapsed()), hits);
            }
            var status = result.Failure switch
            {
                // Connectors knows no such source: nothing the user can connect, only the operator can deploy it.
                ConnectorFailure.NotFound => new SourceStatus(source, SourceStatusCodes.NotDeployed, 0, Elapsed(),
                    $"{source} is not deployed on this server: no connector serves it. The other sources were searched; ask the server's operator to enable {source}."),
                ConnectorFailure.NotConnected => new SourceStatus(source, SourceStatusCodes.NotConnected, 0, Elapsed(),
                    $"{result.Message} The other sources were searched.", links.For(user, source)),
                ConnectorFailure.Paused => Paused(source, result.RetryAfter, Elapsed()),
                ConnectorFailure.Timeout => new SourceStatus(source, SourceStatusCodes.Timeout, 0, Elapsed(),
                    $"{source} did not answer in time: {result.Message} The other sources' results are shown. Retry later."),
                ConnectorFailure.RateLimited => new SourceStatus(source, SourceStatusCodes.RateLimited, 0, Elapsed(),
                    result.RetryAfter is { } after
                        ? string.Create(CultureInfo.InvariantCulture, $"{source} is rate limiting us; retry in {Math.Ceiling(after.TotalSeconds)} s. ({result.Message})")
                        : $"{source} is rate limiting us; retry shortly. ({result.Message})"),
                ConnectorFailure.Unauthorized or ConnectorFailure.Forbidden => new SourceStatus(source, SourceStatusCodes.Unauthorized, 0, Elapsed(),
                    $"{source} refused access: {result.Message} Reconnect the source or ask for {SourceIds.ReadScope(source)}."),
                _ => new SourceStatus(source, SourceStatusCodes.Error, 0, Elapsed(), $"{source} failed: {result.Message} Retry later."),
            };
            return new(status, []);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            faults.TimedOut(source, options.Value.PerSourceTimeout);
            return new(new SourceStatus(source, SourceStatusCodes.Timeout, 0, Elapsed(),
                string.Create(CultureInfo.InvariantCulture, $"{source} did not answer within {options.Value.PerSourceTimeout.TotalSeconds:0.#} s; the other sources' results are shown. Retry later.")), []);
        }
        catch (HttpRequestException e)
        {
            faults.Failed(source, e);
            return new(new SourceStatus(source, SourceStatusCodes.Error, 0, Elapsed(),
                $"The connectors service is unreachable for {source}. Retry later."), []);
        }
        catch (JsonException e)
        {
            faults.Failed(source, e);
            return new(new SourceStatus(source, SourceStatusCodes.Error, 0, Elapsed(),
                $"The connectors service sent an unreadable answer for {source}. Retry later."), []);
        }
    }

    // Connectors tried the provider repeatedly and stopped for a while: retrying now cannot help, so say until when.
    private SourceStatus Paused(string source, TimeSpan? retryAfter, long elapsedMs)
    {
        if (retryAfter is not { } wait)
        {
            return new SourceStatus(source, SourceStatusCodes.Error, 0, elapsedMs,
                $"{source} is paused after repeated failures of its provider; the other sources were searched. Retry in a minute.");
        }
        var until = time.GetUtcNow() + wait;
        return new SourceStatus(source, SourceStatusCodes.Error, 0, elapsedMs,
            string.Create(CultureInfo.InvariantCulture,
                $"{source} is paused after repeated failures of its provider until {until:yyyy-MM-dd'T'HH:mm:ss'Z'} (in {Math.Ceiling(wait.TotalSeconds)} s); the other sources were searched. Retry after that time."),
            PausedUntil: until);
    }

    // The key holds the user key and the normalized arguments that change the ranked list (not max_results, not
    // include_content: those only cut and fill a page of it), so answers are never shared between users; both are
    // hashed so neither reaches Redis in the clear. Cursors carry the key, which binds them to user and arguments.
    private static string CacheKey(string userKey, SearchArguments arguments, IReadOnlyList<string> sources)
    {
        var normalized = string.Join('\n',
            userKey,
            string.Join(' ', arguments.Query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)),
            string.Join(',', sources.Order(StringComparer.Ordinal)),
            arguments.ModifiedAfter?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) ?? "-");
        return "search:v3:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));
    }
}
