using System.Net;
using StackExchange.Redis;
using Workplace.Connectors.Sources;
using Workplace.ServiceDefaults.RateLimiting;
using Workplace.Tests.Auth;
using Workplace.Tests.Infrastructure;
using Workplace.Tests.ServiceDefaults;

namespace Workplace.Tests.Sources.Providers;

// The request budget of AddProviderResilience: token buckets in a real redis-server shared by two hosts ("replicas"),
// in process when Redis is absent or down; requests counted as they reach the real Notion emulator.
public sealed class ProviderBudgetTests : IAsyncLifetime
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(20);

    private readonly WatchedTimeProvider _time = new();
    private CountedEmulators _emulators = null!;
    private string _token = "";

    public async Task InitializeAsync()
    {
        _emulators = await CountedEmulators.StartAsync();
        _token = await _emulators.TokenAsync("notion", "aditi");
    }

    public async Task DisposeAsync() => await _emulators.DisposeAsync();

    private static Dictionary<string, string?> Budget(string requestsPerSecond, int burst, string maxWait) => new()
    {
        ["Sources:Notion:Budget:RequestsPerSecond"] = requestsPerSecond,
        ["Sources:Notion:Budget:Burst"] = burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Sources:Notion:Budget:MaxWait"] = maxWait,
    };

    private Task<HttpResponseMessage> CallAsync(ProviderHost host)
    {
        var request = ProviderHost.Get("users/me", _token);
        return host.Notion.SendAsync(request);
    }

    private static async Task<ConnectionMultiplexer> ConnectAsync(RedisServer redis) =>
        await ConnectionMultiplexer.ConnectAsync($"{redis.ConnectionString},abortConnect=false,connectTimeout=2000");

    [Fact]
    public async Task TwoReplicas_OnOneRedis_LetOnlyTheBudgetThrough()
    {
        await using var redis = await RedisServer.StartAsync();
        using var firstRedis = await ConnectAsync(redis);
        using var secondRedis = await ConnectAsync(redis);
        // Three requests at once, then one every 100 s: the test's eight calls see no refill.
        var budget = Budget("0.01", 3, "00:00:00");
        using var first = await ProviderHost.StartAsync(_emulators.BaseAddress, _time, budget, firstRedis);
        using var second = await ProviderHost.StartAsync(_emulators.BaseAddress, _time, budget, secondRedis);

        var calls = Enumerable.Range(0, 8).Select(i => CallAsync(i % 2 == 0 ? first : second)).ToList();
        var outcomes = await Task.WhenAll(calls.Select(async call =>
        {
            try
            {
                using var response = await call;
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return null;
            }
            catch (SourceRequestException e)
            {
                return e;
            }
        }));

        Assert.Equal(3, outcomes.Count(o => o is null));
        Assert.Equal(3, _emulators.NotionRequests);
        var refused = outcomes.OfType<SourceRequestException>().ToList();
        Assert.Equal(5, refused.Count);
        Assert.All(refused, e =>
        {
            Assert.Equal(SourceFailure.RateLimited, e.Failure);
            Assert.InRange(e.RetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(100));
            Assert.StartsWith("Notion is busy: this service sends it at most 0.01 requests a second (Sources:Notion:Budget) and its queue is full. Try again in ", e.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task BurstWithinMaxWait_QueuesOnRedis_AndEveryCallSucceeds()
    {
        await using var redis = await RedisServer.StartAsync();
        using var firstRedis = await ConnectAsync(redis);
        using var secondRedis = await ConnectAsync(redis);
        // One at once, then one a second: the fourth call's turn comes 3 s later, just within the 3 s it may wait. A
        // second between turns leaves the calls that long to reach Redis, however busy the machine.
        var budget = Budget("1", 1, "00:00:03");
        using var first = await ProviderHost.StartAsync(_emulators.BaseAddress, _time, budget, firstRedis);
        using var second = await ProviderHost.StartAsync(_emulators.BaseAddress, _time, budget, secondRedis);

        var calls = Enumerable.Range(0, 4).Select(i => CallAsync(i % 2 == 0 ? first : second)).ToList();
        await Poll.UntilAsync(() => Task.FromResult(QueuedWaits(TimeSpan.FromSeconds(3)).Length == 3), s_deadline, "three calls to queue for their turn");
        Assert.Equal(1, _emulators.NotionRequests);
        _time.Advance(TimeSpan.FromSeconds(3));
        var responses = await Task.WhenAll(calls);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(4, _emulators.NotionRequests);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    // The budget's waits: the only timers of at most MaxWait (Polly's deadlines are 5 and 7 s).
    private TimeSpan[] QueuedWaits(TimeSpan maxWait) => [.. _time.DueTimes.Where(d => d > TimeSpan.Zero && d <= maxWait)];

    [Fact]
    public async Task WithoutRedis_TheBudgetIsInProcess_QueuesUpToMaxWait_AndRefusesBeyond()
    {
        using var host = await ProviderHost.StartAsync(_emulators.BaseAddress, _time, Budget("2", 1, "00:00:01"));

        using (var atOnce = await CallAsync(host))
        {
            Assert.Equal(HttpStatusCode.OK, atOnce.StatusCode);
        }
        var queued = new[] { CallAsync(host), CallAsync(host) };
        await Poll.UntilAsync(() => Task.FromResult(QueuedWaits(TimeSpan.FromSeconds(1)).Length == 2), s_deadline, "two calls to queue for their turn");
        Assert.Equal([TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(1000)], QueuedWaits(TimeSpan.FromSeconds(1)));
        var beyond = await Assert.ThrowsAsync<SourceRequestException>(() => CallAsync(host));
        _time.Advance(TimeSpan.FromSeconds(1));
        foreach (var response in await Task.WhenAll(queued))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }

        Assert.Equal(SourceFailure.RateLimited, beyond.Failure);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), beyond.RetryAfter);
        Assert.Equal("Notion is busy: this service sends it at most 2 requests a second (Sources:Notion:Budget) and its queue is full. Try again in 2 s.", beyond.Message);
        Assert.Equal(3, _emulators.NotionRequests);
    }

    [Fact]
    public async Task RedisDown_FallsBackToTheInProcessBudget_WarningOnce()
    {
        var redis = await RedisServer.StartAsync();
        using var multiplexer = await ConnectAsync(redis);
        await redis.DisposeAsync();
        await Poll.UntilAsync(() => Task.FromResult(!multiplexer.IsConnected), s_deadline, "the multiplexer to see Redis gone");
        var logs = new CapturedLogs();
        using var host = await ProviderHost.StartAsync(_emulators.BaseAddress, _time, Budget("1", 2, "00:00:00.500"), multiplexer, logs);

        using (var one = await CallAsync(host))
        using (var two = await CallAsync(host))
        {
            Assert.Equal(HttpStatusCode.OK, one.StatusCode);
            Assert.Equal(HttpStatusCode.OK, two.StatusCode);
        }
        var refused = await Assert.ThrowsAsync<SourceRequestException>(() => CallAsync(host));

        Assert.Equal(SourceFailure.RateLimited, refused.Failure);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.RetryAfter);
        Assert.Equal(2, _emulators.NotionRequests);
        var warning = Assert.Single(logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("fall back to this process", StringComparison.Ordinal));
        Assert.Contains("Notion request limits fall back to this process: Redis did not run the token-bucket script (not connected).", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenBuckets_ChargeEveryBucketOfARequest_OrNone()
    {
        await using var redis = await RedisServer.StartAsync();
        using var multiplexer = await ConnectAsync(redis);
        var database = multiplexer.GetDatabase();
        var narrow = new TokenBucket("test:narrow", 0.01, 1);
        var wide = new TokenBucket("test:wide", 0.01, 3);

        var both = await TokenBuckets.AcquireAsync(database, [narrow, wide], TimeSpan.Zero);
        var refused = await TokenBuckets.AcquireAsync(database, [narrow, wide], TimeSpan.Zero);

        Assert.True(both.Admitted);
        Assert.Equal(TimeSpan.Zero, both.Wait);
        Assert.False(refused.Admitted);
        Assert.Equal(0, refused.Limiting);
        Assert.InRange(refused.Wait, TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(100));
        // The refused request took nothing from the wide bucket: two of its three tokens are left.
        Assert.True((await TokenBuckets.AcquireAsync(database, [wide], TimeSpan.Zero)).Admitted);
        Assert.True((await TokenBuckets.AcquireAsync(database, [wide], TimeSpan.Zero)).Admitted);
        Assert.False((await TokenBuckets.AcquireAsync(database, [wide], TimeSpan.Zero)).Admitted);

        // The same rules in process.
        var local = new LocalTokenBuckets(_time);
        Assert.True(local.Acquire([narrow, wide], TimeSpan.Zero).Admitted);
        Assert.Equal(new TokenBucketDecision(false, TimeSpan.FromSeconds(100), 0), local.Acquire([narrow, wide], TimeSpan.Zero));
        Assert.True(local.Acquire([wide], TimeSpan.Zero).Admitted);
        Assert.True(local.Acquire([wide], TimeSpan.Zero).Admitted);
        Assert.False(local.Acquire([wide], TimeSpan.Zero).Admitted);
    }
}
