using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using Workplace.Connectors.Credentials;
using Workplace.Connectors.Sources;
using Workplace.ServiceDefaults.ConnectorApi;
using Workplace.Tests.Connect;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Credentials;

/// <summary>
/// The grants the hot path keeps in process (<see cref="GrantVault.GetRecentAsync"/>), counted at a real Redis:
/// a burst of provider calls reads a grant once, and a refresh or delete in this process is seen by the next call.
/// </summary>
public sealed class GrantCacheTests(ConnectGraph graph) : IClassFixture<ConnectGraph>
{
    [Fact]
    public async Task Fifty_token_reads_in_a_fresh_process_read_Redis_once()
    {
        var principal = await ConnectedAsync("burst", DateTimeOffset.UtcNow.AddHours(1));
        // A replica that has never seen the grant: only Redis has it.
        await using var replica = graph.StartConnectors();
        var tokens = replica.Services.GetRequiredKeyedService<ITokenSource>(ConnectGraph.GoogleDrive);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(graph.Redis.ConnectionString + ",allowAdmin=true");
        var before = await GetCallsAsync(redis);

        var results = new List<string>();
        for (var call = 0; call < 50; call++)
        {
            results.Add(await tokens.GetAccessTokenAsync(principal, default));
        }

        Assert.Single(results.Distinct());
        Assert.Equal(1, await GetCallsAsync(redis) - before);
    }

    [Fact]
    public async Task A_delete_in_this_process_is_seen_by_the_next_call()
    {
        var principal = await ConnectedAsync("deleted", DateTimeOffset.UtcNow.AddHours(1));
        await Tokens.GetAccessTokenAsync(principal, default);

        await Vault.DeleteAsync(principal.UserId, ConnectGraph.GoogleDrive, default);

        var refused = await Assert.ThrowsAsync<SourceRequestException>(() => Tokens.GetAccessTokenAsync(principal, default).AsTask());
        Assert.Equal(SourceFailure.NotConnected, refused.Failure);
        Assert.False(await Tokens.IsConnectedAsync(principal, default));
    }

    [Fact]
    public async Task A_refresh_in_this_process_is_seen_by_the_next_call()
    {
        var principal = await ConnectedAsync("refreshed", DateTimeOffset.UtcNow.AddHours(1));
        var current = await Tokens.GetAccessTokenAsync(principal, default);

        // The provider refused the token: the refresh stores a new one, and the next call sends it, not the one it held.
        var fresh = await Tokens.RefreshAsync(principal, current, default);

        Assert.NotEqual(current, fresh);
        Assert.Equal(fresh, await Tokens.GetAccessTokenAsync(principal, default));
    }

    [Fact]
    public async Task A_token_about_to_expire_is_not_kept_but_refreshed()
    {
        // Inside the refresh margin: keeping it would only postpone the refresh the next call must make.
        var principal = await ConnectedAsync("expiring", DateTimeOffset.UtcNow + ConnectFlowTokenSource.RefreshAhead - TimeSpan.FromSeconds(5));
        var stored = (await Vault.GetAsync(principal.UserId, ConnectGraph.GoogleDrive, default))!.AccessToken;

        var sent = await Tokens.GetAccessTokenAsync(principal, default);

        Assert.NotEqual(stored, sent);
        Assert.Equal(sent, await Tokens.GetAccessTokenAsync(principal, default));
    }

    private GrantVault Vault => graph.Connectors.Services.GetRequiredService<GrantVault>();

    private ITokenSource Tokens => graph.Connectors.Services.GetRequiredKeyedService<ITokenSource>(ConnectGraph.GoogleDrive);

    private async Task<InternalPrincipal> ConnectedAsync(string subject, DateTimeOffset expiresAt)
    {
        var principal = graph.Principal(ConnectGraph.User("grant-cache-" + subject, ConnectGraph.Aditi.Email), ConnectGraph.GoogleDrive);
        await Vault.SaveAsync(principal.UserId, ConnectGraph.GoogleDrive, await graph.GrantAsync("google", ConnectGraph.Aditi.Id, expiresAt), default);
        return principal;
    }

    /// <summary>How many GET commands the server has run (INFO commandstats): grants are the only strings read with GET.</summary>
    private static async Task<long> GetCallsAsync(ConnectionMultiplexer redis)
    {
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        var stats = (await server.InfoAsync("commandstats")).SelectMany(g => g).FirstOrDefault(p => p.Key == "cmdstat_get").Value;
        if (stats is null)
        {
            return 0;
        }
        var calls = stats.Split(',').Single(p => p.StartsWith("calls=", StringComparison.Ordinal))["calls=".Length..];
        return long.Parse(calls, CultureInfo.InvariantCulture);
    }
}

/// <summary>A Redis outage on the hot path: the grant this process last held keeps the provider answering until its token expires.</summary>
public sealed class GrantOutageTests
{
    [Fact]
    public async Task While_the_store_is_down_the_last_grant_serves_until_its_token_expires_and_a_deleted_one_never()
    {
        // Arrange: a vault on a real Redis, with a grant whose token expires inside the refresh margin, so the short
        // in-process reuse does not keep it and every read goes to the store.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var redisServer = await RedisServer.StartAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { redisServer.ConnectionString },
            AbortOnConnectFail = false,
            BacklogPolicy = BacklogPolicy.FailFast,
        });
        using var vault = new GrantVault(new EphemeralDataProtectionProvider(), clock, NullLogger<GrantVault>.Instance, redis);
        var grant = new ProviderGrant("token-a", "refresh-a", clock.GetUtcNow().AddSeconds(50), null);
        await vault.SaveAsync("kept", "google_drive", grant, default);
        await vault.SaveAsync("deleted", "google_drive", grant, default);
        await vault.DeleteAsync("deleted", "google_drive", default);
        Assert.Equal(grant, await vault.GetRecentAsync("kept", "google_drive", default));

        // Act: the store goes away.
        await redisServer.DisposeAsync();
        await Poll.UntilAsync(() => Task.FromResult(!redis.IsConnected), TimeSpan.FromSeconds(30), "the client to see Redis gone");

        // Assert
        Assert.Equal(grant, await vault.GetRecentAsync("kept", "google_drive", default));
        var none = await Assert.ThrowsAsync<SourceRequestException>(() => vault.GetRecentAsync("deleted", "google_drive", default));
        Assert.Contains("cannot be read right now", none.Message, StringComparison.Ordinal);
        clock.Advance(TimeSpan.FromSeconds(51));
        await Assert.ThrowsAsync<SourceRequestException>(() => vault.GetRecentAsync("kept", "google_drive", default));
    }
}

/// <summary>
/// Two replicas' vaults on one real Redis: a grant deleted or replaced on one is dropped by the other as the announcement
/// arrives, not after <see cref="GrantVault.RecentLifetime"/>; and one that could not hear drops all it kept on reconnecting.
/// </summary>
public sealed class GrantAnnouncementTests : IAsyncLifetime, IDisposable
{
    // Time stands still for the vaults, so nothing they keep expires during a test: only an announcement can drop it.
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly EphemeralDataProtectionProvider _keys = new();
    private RedisServer _server = null!;
    private ConnectionMultiplexer _redisA = null!;
    private ConnectionMultiplexer _redisB = null!;
    private GrantVault _a = null!;
    private GrantVault _b = null!;

    public async Task InitializeAsync()
    {
        _server = await RedisServer.StartAsync();
        _redisA = await ConnectAsync();
        _redisB = await ConnectAsync();
        _a = new GrantVault(_keys, _clock, NullLogger<GrantVault>.Instance, _redisA);
        _b = new GrantVault(_keys, _clock, NullLogger<GrantVault>.Instance, _redisB);
        await _a.ListenAsync();
        await _b.ListenAsync();
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }

    public async Task DisposeAsync()
    {
        await _redisA.DisposeAsync();
        await _redisB.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_grant_deleted_on_another_replica_is_dropped_here_at_once()
    {
        await _b.SaveAsync("user", "notion", Grant("token-1"), default);
        Assert.Equal("token-1", (await _a.GetRecentAsync("user", "notion", default))!.AccessToken);

        await _b.DeleteAsync("user", "notion", default);

        await Poll.UntilAsync(async () => await _a.GetRecentAsync("user", "notion", default) is null, TimeSpan.FromSeconds(10), "replica A to drop the deleted grant");
    }

    [Fact]
    public async Task A_grant_replaced_on_another_replica_is_read_again_here_and_the_replacing_replica_keeps_its_own()
    {
        await _a.SaveAsync("user", "google_drive", Grant("token-1"), default);
        Assert.Equal("token-1", (await _b.GetRecentAsync("user", "google_drive", default))!.AccessToken);

        await _a.SaveAsync("user", "google_drive", Grant("token-2"), default);

        await Poll.UntilAsync(async () => (await _b.GetRecentAsync("user", "google_drive", default))?.AccessToken == "token-2", TimeSpan.FromSeconds(10), "replica B to read the new grant");
        // A ignores its own announcement: the grant it stored stays kept, so reading it costs no Redis round trip.
        await _server.DisposeAsync();
        await Poll.UntilAsync(() => Task.FromResult(!_redisA.IsConnected), TimeSpan.FromSeconds(30), "replica A to see Redis gone");
        Assert.Equal("token-2", (await _a.GetRecentAsync("user", "google_drive", default))!.AccessToken);
    }

    [Fact]
    public async Task A_replica_that_could_not_hear_drops_what_it_kept_when_Redis_comes_back()
    {
        await _b.SaveAsync("user", "sharepoint", Grant("token-1"), default);
        Assert.Equal("token-1", (await _a.GetRecentAsync("user", "sharepoint", default))!.AccessToken);

        // Redis restarts empty: the grant is gone, as if it had been deleted while nobody could announce it.
        var port = _server.Port;
        await _server.DisposeAsync();
        await Poll.UntilAsync(() => Task.FromResult(!_redisA.IsConnected), TimeSpan.FromSeconds(30), "replica A to see Redis gone");
        _server = await RedisServer.StartAsync(port);

        // Well inside RecentLifetime (30 s, on the real clock the in-process cache uses), after which it would be dropped anyway.
        await Poll.UntilAsync(async () => _redisA.IsConnected && await _a.GetRecentAsync("user", "sharepoint", default) is null, TimeSpan.FromSeconds(15), "replica A to drop what it kept");
    }

    private ProviderGrant Grant(string token) => new(token, "refresh-" + token, _clock.GetUtcNow().AddHours(1), null);

    private async Task<ConnectionMultiplexer> ConnectAsync() => await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
    {
        EndPoints = { _server.ConnectionString },
        AbortOnConnectFail = false,
        BacklogPolicy = BacklogPolicy.FailFast,
    });
}
