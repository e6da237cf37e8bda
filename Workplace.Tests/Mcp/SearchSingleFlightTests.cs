using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Workplace.McpApi.Search;

namespace Workplace.Tests.Mcp;

/// <summary>One fan-out per key at a time, through the real HybridCache behind <see cref="SearchCache"/> (in process, no Redis).</summary>
public sealed class SearchSingleFlightTests : IDisposable
{
    private static readonly SearchOutcome s_ok = new([], [new SourceStatus("files", "ok", 0, 1)]);
    private static readonly SearchOutcome s_failed = new([], [new SourceStatus("files", "error", 0, 1, "files failed. Retry later.")]);

    private readonly ServiceProvider _services;
    private readonly SearchCache _cache;

    public SearchSingleFlightTests()
    {
        _services = Services("00:01:00");
        _cache = _services.GetRequiredService<SearchCache>();
    }

    private static ServiceProvider Services(string cacheTtl)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMetrics();
        services.AddOptions<SearchOptions>().Bind(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["CacheTtl"] = cacheTtl }).Build());
        services.AddSearchCache();
        return services.BuildServiceProvider();
    }

    private static bool Cacheable(SearchOutcome outcome) => outcome.Sources.All(s => s.Status == "ok");

    [Fact]
    public async Task Concurrent_callers_of_one_key_share_one_computation()
    {
        var release = new TaskCompletionSource<SearchOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var computations = 0;
        Task<SearchOutcome> Compute()
        {
            Interlocked.Increment(ref computations);
            return release.Task;
        }

        var callers = Enumerable.Range(0, 20).Select(_ => _cache.GetOrSearchAsync("same-key", Compute, Cacheable, CancellationToken.None)).ToList();
        var other = await _cache.GetOrSearchAsync("other-key", () => Task.FromResult(s_ok), Cacheable, CancellationToken.None);
        release.SetResult(s_ok);
        var outcomes = await Task.WhenAll(callers);

        Assert.Equal(1, computations);
        Assert.All(outcomes, o => Assert.Equivalent(s_ok, o, strict: true));
        Assert.Equivalent(s_ok, other, strict: true);
    }

    [Fact]
    public async Task Concurrent_callers_share_a_failed_computation_too_and_it_is_not_reused_later()
    {
        var release = new TaskCompletionSource<SearchOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var computations = 0;
        Task<SearchOutcome> Compute()
        {
            Interlocked.Increment(ref computations);
            return release.Task;
        }

        var callers = Enumerable.Range(0, 5).Select(_ => _cache.GetOrSearchAsync("key", Compute, Cacheable, CancellationToken.None)).ToList();
        release.SetResult(s_failed);
        var outcomes = await Task.WhenAll(callers);
        await _cache.GetOrSearchAsync("key", Compute, Cacheable, CancellationToken.None);

        Assert.All(outcomes, o => Assert.Equal("error", o.Sources[0].Status));
        Assert.Equal(2, computations);
    }

    [Fact]
    public async Task A_finished_cacheable_computation_answers_later_callers_until_it_expires()
    {
        var computations = 0;
        Task<SearchOutcome> Compute()
        {
            Interlocked.Increment(ref computations);
            return Task.FromResult(s_ok);
        }

        await _cache.GetOrSearchAsync("key", Compute, Cacheable, CancellationToken.None);
        var second = await _cache.GetOrSearchAsync("key", Compute, Cacheable, CancellationToken.None);

        Assert.Equal(1, computations);
        Assert.Equivalent(s_ok, second, strict: true);
    }

    [Fact]
    public async Task A_zero_cache_ttl_caches_nothing_but_still_shares_searches_in_flight()
    {
        using var services = Services("00:00:00");
        var cache = services.GetRequiredService<SearchCache>();
        var release = new TaskCompletionSource<SearchOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var computations = 0;
        Task<SearchOutcome> Compute()
        {
            Interlocked.Increment(ref computations);
            return release.Task;
        }

        var together = Enumerable.Range(0, 5).Select(_ => cache.GetOrSearchAsync("key", Compute, Cacheable, CancellationToken.None)).ToList();
        release.SetResult(s_ok);
        await Task.WhenAll(together);
        await cache.GetOrSearchAsync("key", Compute, Cacheable, CancellationToken.None);

        Assert.Equal(2, computations);
    }

    [Fact]
    public async Task A_caller_that_gives_up_does_not_cancel_the_others()
    {
        var release = new TaskCompletionSource<SearchOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var impatient = new CancellationTokenSource();

        var leaving = _cache.GetOrSearchAsync("key", () => release.Task, Cacheable, impatient.Token);
        var staying = _cache.GetOrSearchAsync("key", () => release.Task, Cacheable, CancellationToken.None);
        await impatient.CancelAsync();
        release.SetResult(s_ok);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);
        Assert.Equivalent(s_ok, await staying, strict: true);
    }

    public void Dispose() => _services.Dispose();
}
