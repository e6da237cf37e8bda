using System.Diagnostics;
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

namespace Workplace.McpApi.Search;

/// <summary>Fans a search out to every requested source in parallel, fuses the hits, and caches the answer per user.</summary>
public sealed class SearchService(
    ConnectorClient connectors,
    ISourceAccess access,
    SearchCache cache,
    SearchMetrics metrics,
    IOptions<SearchOptions> options,
    SourceFaultLog faults,
    ConnectLinks links,
    TimeProvider time)
{
    // Reciprocal rank fusion constant (Cormack et al. 2009). Connector scores come from different engines (Drive's
    // relevance, Notion's, SQLite's bm25) and are not comparable, so fusion uses ranks only: a hit scores
    // 1 / (k + rank) in its source's list. k = 60 keeps the first few ranks of every source close together.
    private const double RrfK = 60;

    public async Task<SearchOutcome> SearchAsync(SearchArguments arguments, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var principal = access.Principal(user);
        var sources = (arguments.Sources ?? SourceIds.All.Where(principal.GrantedSources.Contains).ToList()).Distinct(StringComparer.Ordinal).ToList();
        var key = CacheKey(principal.UserId, arguments, sources);

        return await cache.GetOrSearchAsync(key,
            () => FanOutAsync(arguments, sources, principal, user),
            // Failures are not cached: a source that timed out now may answer in a second. Nor is a source that needs
            // connecting: the user is about to connect it, and the next search must see that.
            outcome => outcome.Sources.All(s => s.Status is SourceStatusCodes.Ok or SourceStatusCodes.Unauthorized or SourceStatusCodes.NotDeployed),
            cancellationToken);
    }

    private async Task<SearchOutcome> FanOutAsync(SearchArguments arguments, IReadOnlyList<string> sources, InternalPrincipal principal, ClaimsPrincipal user)
    {
        var request = new SearchRequest(arguments.Query, arguments.MaxResults, arguments.IncludeContent, arguments.ModifiedAfter);
        var calls = sources.Select(source => SearchOneAsync(source, request, principal, user)).ToArray();
        var answers = await Task.WhenAll(calls);
        foreach (var answer in answers)
        {
            metrics.RecordSource(answer.Status.Source, answer.Status.Status, answer.Status.LatencyMs);
        }

        var fused = answers
            .SelectMany(a => a.Hits.Select((hit, index) => (Hit: hit, Score: 1.0 / (RrfK + index + 1))))
            .OrderByDescending(x => x.Score)
            .ThenByDescending(x => x.Hit.Modified)
            .ThenBy(x => x.Hit.Id, StringComparer.Ordinal)
            .Take(arguments.MaxResults)
            .ToList();
        var contentBudget = fused.Count == 0 ? 0 : options.Value.MaxContentChars / fused.Count;
        var results = fused.Select(x =>
        {
            var (content, truncated) = arguments.IncludeContent ? Bounded(x.Hit.Content, contentBudget) : (null, null);
            return new SearchResultItem(x.Hit.Id, x.Hit.Source, x.Hit.Title, x.Hit.Url, x.Hit.Snippet, x.Hit.Modified,
                x.Hit.Author, x.Hit.MimeType, Math.Round(x.Score, 6), content, truncated);
        }).ToList();
        return new SearchOutcome(results, [.. answers.Select(a => a.Status)]);
    }

    // A cut is always flagged (content_truncated), never silent, and made as fetch makes its ranges, so fetch
    // continues from offset = content length.
    private static (string? Content, bool? Truncated) Bounded(string? content, int budget)
    {
        if (content is null)
        {
            return (null, null);
        }
        var end = TextRanges.End(content, 0, budget);
        return (content[..end], end < content.Length);
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

    // The key holds the user key and the normalized arguments, so answers are never shared between users; both are
    // hashed so neither reaches Redis in the clear.
    private static string CacheKey(string userKey, SearchArguments arguments, IReadOnlyList<string> sources)
    {
        var normalized = string.Join('\n',
            userKey,
            string.Join(' ', arguments.Query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)),
            string.Join(',', sources.Order(StringComparer.Ordinal)),
            arguments.MaxResults.ToString(CultureInfo.InvariantCulture),
            arguments.IncludeContent ? "content" : "-",
            arguments.ModifiedAfter?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) ?? "-");
        return "search:v2:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));
    }
}
