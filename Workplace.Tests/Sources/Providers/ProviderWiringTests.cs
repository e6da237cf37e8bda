using System.Net;
using System.Text.Json;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Sources.Providers;

// Each provider source as the Connectors app registers it: its provider's resilience (Sources/Providers) is on the
// source's own client, so the internal API answers for it. Real emulators failing on request, the app's time moved
// by the test.
public sealed class ProviderWiringTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    public static TheoryData<string> Sources => ["google_drive", "notion", "sharepoint"];

    // A 429, and the provider's own "slow down" that only its profile retries: Google's 403 rateLimitExceeded,
    // Notion's 529 and Graph's 503 with Retry-After, the last two on a search sent as POST.
    public static TheoryData<string, string> SlowDowns => new()
    {
        { "google_drive", "RateLimited" }, { "google_drive", "ProviderThrottled" },
        { "notion", "RateLimited" }, { "notion", "ProviderThrottled" },
        { "sharepoint", "RateLimited" }, { "sharepoint", "ProviderThrottled" },
    };

    private static WiredSource.Provider ProviderOf(string source) => source switch
    {
        "google_drive" => WiredSource.Provider.GoogleDrive,
        "notion" => WiredSource.Provider.Notion,
        _ => WiredSource.Provider.SharePoint,
    };

    // A query each emulator answers for Aditi with at least one result.
    private static string QueryFor(string source) => source switch
    {
        "google_drive" => "Northwind",
        "notion" => "handbook",
        _ => "kestrel",
    };

    [Theory]
    [MemberData(nameof(SlowDowns))]
    public async Task SlowDownWithAShortRetryAfter_IsWaitedOut_AndTheSearchSucceeds(string source, string kind)
    {
        var provider = ProviderOf(source);
        await using var wired = await WiredSource.StartAsync(provider, provider.Unlimited);
        string[] expected;
        using (var baseline = await wired.SearchAsync(QueryFor(source)))
        {
            expected = await WiredSource.IdsAsync(baseline);
        }
        Assert.NotEmpty(expected);
        await wired.Emulators.FaultAsync(provider.Emulator, new { kind, count = 1, retryAfterSeconds = 3 });

        var search = wired.SearchAsync(QueryFor(source));
        await Poll.UntilAsync(() => Task.FromResult(wired.Time.HasTimerDueIn(TimeSpan.FromSeconds(3))), s_deadline, "the wait Retry-After asked for");
        Assert.False(search.IsCompleted, "the search answered before the wait Retry-After asked for was over");
        wired.Time.Advance(TimeSpan.FromSeconds(3));
        using var response = await search;

        Assert.Equal(expected, await WiredSource.IdsAsync(response));
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task RepeatedServerErrors_PauseTheSource_ItAnswers503AtOnce_AndListSourcesSaysUntilWhen(string source)
    {
        var provider = ProviderOf(source);
        // No backoff, so the retries need no time to pass; the breaker as shipped (half of at least 5 calls, 15 s).
        await using var wired = await WiredSource.StartAsync(provider, [.. provider.Unlimited, provider.Resilience("Retry:Delay", "00:00:00")]);
        await wired.Emulators.FaultAsync(provider.Emulator, new { kind = "ServerError", status = 503 });

        var paused = false;
        for (var call = 0; call < 5 && !paused; call++)
        {
            using var failed = await wired.SearchAsync(QueryFor(source));
            paused = failed.StatusCode == HttpStatusCode.ServiceUnavailable;
            Assert.True(paused || failed.StatusCode == HttpStatusCode.BadGateway, $"{(int)failed.StatusCode}: {await failed.Content.ReadAsStringAsync()}");
        }
        Assert.True(paused, "five searches failing on every attempt did not open the source's circuit");
        var reached = wired.ProviderRequests;

        using (var atOnce = await wired.SearchAsync(QueryFor(source)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, atOnce.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(15), atOnce.Headers.RetryAfter?.Delta);
            var detail = JsonDocument.Parse(await atOnce.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();
            Assert.Contains("is paused after repeated failures and is tried again in 15 s", detail, StringComparison.Ordinal);
        }
        Assert.Equal(reached, wired.ProviderRequests);
        Assert.Equal(wired.Time.GetUtcNow() + TimeSpan.FromSeconds(15), (await wired.DescriptorAsync()).PausedUntil);

        // The break over and the provider back, the source answers again and is no longer shown paused.
        await wired.Emulators.ClearFaultsAsync(provider.Emulator);
        wired.Time.Advance(TimeSpan.FromSeconds(15));
        Assert.Null((await wired.DescriptorAsync()).PausedUntil);
        using var back = await wired.SearchAsync(QueryFor(source));
        Assert.NotEmpty(await WiredSource.IdsAsync(back));
    }

    [Fact]
    public async Task GraphCalls_AreRetriedByTheProvidersPipelineOnly_NotAgainByTheGraphSdk()
    {
        var provider = WiredSource.Provider.SharePoint;
        await using var wired = await WiredSource.StartAsync(provider,
            [.. provider.Unlimited, provider.Resilience("Retry:Delay", "00:00:00"), provider.Resilience("CircuitBreaker:MinimumThroughput", "100")]);
        // A 503 is what Kiota's own RetryHandler retries too: were it in the chain, each attempt would be several.
        await wired.Emulators.FaultAsync(provider.Emulator, new { kind = "ServerError", status = 503 });

        using var failed = await wired.SearchAsync(QueryFor("sharepoint"));

        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Equal(1 + 3, wired.ProviderRequests);
    }

    [Fact]
    public async Task NotionsBudget_QueuesABurstOfTenSearches_RatherThanFailingThem()
    {
        // The budget as shipped: 3 requests a second, 5 at once, a turn waited for up to 2 s.
        await using var wired = await WiredSource.StartAsync(WiredSource.Provider.Notion);
        // One search first, so the author's name is cached and each search of the burst is one request to Notion.
        string[] expected;
        using (var first = await wired.SearchAsync("offsite"))
        {
            expected = await WiredSource.IdsAsync(first);
        }
        Assert.NotEmpty(expected);
        wired.Time.Advance(TimeSpan.FromSeconds(2));
        var before = wired.ProviderRequests;
        var timers = wired.Time.DueTimes.Length;

        var burst = Enumerable.Range(0, 10).Select(_ => wired.SearchAsync("offsite")).ToList();
        await Poll.UntilAsync(() => Task.FromResult(TurnsWaitedFor(wired, timers).Length == 5), s_deadline, "five searches to wait for their turn");
        Assert.Equal(before + 5, wired.ProviderRequests);
        Assert.All(TurnsWaitedFor(wired, timers), wait => Assert.InRange(wait, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(2)));
        wired.Time.Advance(TimeSpan.FromSeconds(2));
        var responses = await Task.WhenAll(burst);

        foreach (var response in responses)
        {
            Assert.Equal(expected, await WiredSource.IdsAsync(response));
            response.Dispose();
        }
        Assert.Equal(before + 10, wired.ProviderRequests);
    }

    // The budget's waits since the burst began: the only timers of at most MaxWait (Polly's deadlines are 5 and 7 s).
    private static TimeSpan[] TurnsWaitedFor(WiredSource wired, int timersBefore) =>
        [.. wired.Time.DueTimes.Skip(timersBefore).Where(d => d > TimeSpan.Zero && d <= TimeSpan.FromSeconds(2))];
}
