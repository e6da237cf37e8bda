namespace Workplace.Connectors.Sources;

/// <summary>
/// A search's main provider query and the queries that only widen it (any word instead of every word, one word of a
/// title search), asked at once so a search costs one provider round trip. A widening query that fails (a provider
/// error, a breaker letting one trial call through) costs its hits, not the search: only the main query's failure is
/// the search's.
/// </summary>
public static class WideningQueries
{
    public static async Task<(T Main, IReadOnlyList<T> Widening)> AskAsync<T>(Task<T> main, IReadOnlyList<Task<T>> widening)
    {
        try
        {
            await Task.WhenAll([main, .. widening]);
        }
        catch (Exception) when (main.IsCompletedSuccessfully)
        {
        }
        return (await main, [.. widening.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result)]);
    }

    /// <summary>
    /// <see cref="AskAsync{T}"/> for queries that answer lists: the main query's items first, then each widening
    /// query's in turn, an item found twice (by <paramref name="key"/>) kept where it came first, at most <paramref name="max"/>.
    /// </summary>
    public static async Task<List<T>> MergeAsync<T>(Task<List<T>> main, IReadOnlyList<Task<List<T>>> widening, Func<T, string> key, int max)
    {
        var (first, more) = await AskAsync(main, widening);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return [.. first.Concat(more.SelectMany(list => list)).Where(item => seen.Add(key(item))).Take(max)];
    }
}
