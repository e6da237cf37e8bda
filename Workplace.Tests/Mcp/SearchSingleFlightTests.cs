using Workplace.McpApi.Search;

namespace Workplace.Tests.Mcp;

public sealed class SearchSingleFlightTests
{
    [Fact]
    public async Task Concurrent_callers_of_one_key_share_one_computation()
    {
        var flight = new SearchSingleFlight();
        var release = new TaskCompletionSource<SearchOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var computations = 0;
        Task<SearchOutcome> Compute()
        {
            Interlocked.Increment(ref computations);
            return release.Task;
        }

        var callers = Enumerable.Range(0, 20).Select(_ => flight.RunAsync("same-key", Compute, CancellationToken.None)).ToList();
        var other = flight.RunAsync("other-key", () => Task.FromResult(new SearchOutcome([], [])), CancellationToken.None);
        release.SetResult(new SearchOutcome([], []));
        var outcomes = await Task.WhenAll(callers);
        await other;

        Assert.Equal(1, computations);
        Assert.All(outcomes, o => Assert.Same(outcomes[0], o));
    }

    [Fact]
    public async Task A_finished_computation_is_not_reused_by_later_callers()
    {
        var flight = new SearchSingleFlight();
        var computations = 0;
        Task<SearchOutcome> Compute()
        {
            Interlocked.Increment(ref computations);
            return Task.FromResult(new SearchOutcome([], []));
        }

        await flight.RunAsync("key", Compute, CancellationToken.None);
        await flight.RunAsync("key", Compute, CancellationToken.None);

        Assert.Equal(2, computations);
    }

    [Fact]
    public async Task A_caller_that_gives_up_does_not_cancel_the_others()
    {
        var flight = new SearchSingleFlight();
        var release = new TaskCompletionSource<SearchOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var impatient = new CancellationTokenSource();

        var leaving = flight.RunAsync("key", () => release.Task, impatient.Token);
        var staying = flight.RunAsync("key", () => release.Task, CancellationToken.None);
        await impatient.CancelAsync();
        release.SetResult(new SearchOutcome([], []));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);
        Assert.NotNull(await staying);
    }
}
