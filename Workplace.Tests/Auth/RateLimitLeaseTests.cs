using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using Workplace.McpApi.Auth;
using Workplace.Tests.Infrastructure;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Workplace.Tests.Auth;

/// <summary>The local-first leases of <see cref="UserRateLimiter"/>, on a real Redis shared by two limiters (two replicas).</summary>
public sealed class RateLimitLeaseTests
{
    [Fact]
    public async Task Leases_NeverOverdrawTheSharedBucket_AndLoseAtMostALeasePerReplica()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var time = new FakeTimeProvider();
        // Burst 40, refilling one token a minute: a lease grows to 4 tokens (a tenth of the burst).
        var options = Limits(userPerMinute: 1, userBurst: 40);
        var replicaA = new UserRateLimiter(options, NullLogger<UserRateLimiter>.Instance, time, connection);
        var replicaB = new UserRateLimiter(options, NullLogger<UserRateLimiter>.Instance, time, connection);

        var admitted = 0;
        RateLimitDecision? refused = null;
        for (var i = 0; i < 100; i++)
        {
            var decision = await (i % 2 == 0 ? replicaA : replicaB).AcquireAsync("alice");
            admitted += decision.Allowed ? 1 : 0;
            refused ??= decision.Allowed ? null : decision;
        }

        Assert.InRange(admitted, 40 - 2 * 4, 40);
        Assert.NotNull(refused);
        Assert.Equal("user", refused.Limit);
        Assert.Equal("redis", refused.Store);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        // Bob's bucket is his own.
        Assert.True((await replicaB.AcquireAsync("bob")).Allowed);
    }

    [Fact]
    public async Task ABusyCaller_CostsARedisCallPerLease_NotPerRequest()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var connection = await ConnectionMultiplexer.ConnectAsync($"{redis.ConnectionString},allowAdmin=true");
        var time = new FakeTimeProvider();
        var limiter = new UserRateLimiter(Limits(userPerMinute: 60_000, userBurst: 10_000), NullLogger<UserRateLimiter>.Instance, time, connection);
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        var before = await ScriptCallsAsync(server);

        for (var i = 0; i < 1000; i++)
        {
            Assert.True((await limiter.AcquireAsync("alice")).Allowed);
        }

        // Leases of 1, 2, 4, ... 512, then 1000 (a tenth of the burst): about a dozen round trips for a thousand requests.
        Assert.InRange(await ScriptCallsAsync(server) - before, 1, 12);

        // A lease unused for its lifetime is dropped, and the next one starts small again.
        time.Advance(UserRateLimiter.LeaseLifetime);
        before = await ScriptCallsAsync(server);
        Assert.True((await limiter.AcquireAsync("alice")).Allowed);
        Assert.Equal(1, await ScriptCallsAsync(server) - before);
    }

    [Fact]
    public async Task ConcurrentCallers_ShareOneRefill_AndEachTakesItsOwnToken()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var limiter = new UserRateLimiter(Limits(userPerMinute: 1, userBurst: 50), NullLogger<UserRateLimiter>.Instance, new FakeTimeProvider(), connection);

        var decisions = await Task.WhenAll(Enumerable.Range(0, 80).Select(_ => Task.Run(async () => await limiter.AcquireAsync("alice"))));

        Assert.Equal(50, decisions.Count(d => d.Allowed));
    }

    private static Microsoft.Extensions.Options.IOptions<AuthOptions> Limits(double userPerMinute, int userBurst)
    {
        var options = new AuthOptions();
        options.RateLimit.UserRequestsPerMinute = userPerMinute;
        options.RateLimit.UserBurst = userBurst;
        options.RateLimit.GlobalRequestsPerSecond = 1_000_000;
        options.RateLimit.GlobalBurst = 1_000_000;
        return MsOptions.Create(options);
    }

    private static async Task<long> ScriptCallsAsync(IServer server)
    {
        var stats = (await server.InfoAsync("commandstats")).SelectMany(g => g).ToList();
        return stats.Where(s => s.Key is "cmdstat_eval" or "cmdstat_evalsha")
            .Sum(s => long.Parse(s.Value.Split(',')[0]["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
