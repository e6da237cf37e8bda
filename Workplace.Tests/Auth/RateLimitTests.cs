using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Workplace.McpApi.Auth;
using Workplace.Emulators.Oidc;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Auth;

public sealed class RateLimitTests
{
    private static readonly string[] s_scopes = ["workplace:read:files"];

    [Fact]
    public async Task PerUserBucket_InRedis_IsSharedByReplicas_And429CarriesRetryAfter()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var issuer = await OidcIssuer.StartAsync(McpApiHost.Resource);
        var settings = Limited(issuer, userPerMinute: "6", userBurst: "3");
        settings["ConnectionStrings:cache"] = redis.ConnectionString;
        await using var replicaA = new McpApiHost(settings);
        await using var replicaB = new McpApiHost(settings);
        using var a = replicaA.Client();
        using var b = replicaB.Client();
        var alice = issuer.Mint(new TokenSpec { Subject = "alice", Scopes = s_scopes });
        var bob = issuer.Mint(new TokenSpec { Subject = "bob", Scopes = s_scopes });

        // Three tokens in alice's bucket, spent across both replicas.
        Assert.Equal(HttpStatusCode.OK, (await a.GetWithTokenAsync("/_probe", alice)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await b.GetWithTokenAsync("/_probe", alice)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await a.GetWithTokenAsync("/_probe", alice)).StatusCode);
        var limited = await b.GetWithTokenAsync("/_probe", alice);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        // 6 per minute refills one token every 10 s.
        Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(10));
        var body = await limited.JsonAsync();
        Assert.Equal("rate_limited", (string?)body["error"]);
        Assert.Equal(HttpStatusCode.OK, (await b.GetWithTokenAsync("/_probe", bob)).StatusCode);
    }

    [Fact]
    public async Task GlobalBucket_LimitsEveryoneTogether()
    {
        await using var issuer = await OidcIssuer.StartAsync(McpApiHost.Resource);
        var settings = Limited(issuer, userPerMinute: "600", userBurst: "100");
        settings["Auth:RateLimit:GlobalRequestsPerSecond"] = "0.1";
        settings["Auth:RateLimit:GlobalBurst"] = "2";
        await using var api = new McpApiHost(settings);
        using var client = api.Client();

        Assert.Equal(HttpStatusCode.OK, (await client.GetWithTokenAsync("/_probe", issuer.Mint(new TokenSpec { Subject = "alice" }))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetWithTokenAsync("/_probe", issuer.Mint(new TokenSpec { Subject = "bob" }))).StatusCode);
        var limited = await client.GetWithTokenAsync("/_probe", issuer.Mint(new TokenSpec { Subject = "carol" }));

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal("This server is receiving too many requests. Retry after " + limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds + " s.", (string?)(await limited.JsonAsync())["error_description"]);
    }

    [Fact]
    public async Task WhenRedisIsDown_LimitsFallBackToTheProcess_AndAreCounted()
    {
        await using var issuer = await OidcIssuer.StartAsync(McpApiHost.Resource);
        var settings = Limited(issuer, userPerMinute: "6", userBurst: "2");
        settings["ConnectionStrings:cache"] = $"127.0.0.1:{ClosedPort()},connectTimeout=500";
        await using var api = new McpApiHost(settings);
        using var client = api.Client();
        using var listener = new CounterListener(api.Services.GetRequiredService<IMeterFactory>(), "workplace.auth.rate_limited");
        var alice = issuer.Mint(new TokenSpec { Subject = "alice", Scopes = s_scopes });

        Assert.Equal(HttpStatusCode.OK, (await client.GetWithTokenAsync("/_probe", alice)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetWithTokenAsync("/_probe", alice)).StatusCode);
        var limited = await client.GetWithTokenAsync("/_probe", alice);

        for (var i = 0; i < 20; i++)
        {
            await client.GetWithTokenAsync("/_probe", alice);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal(21, listener.Tags.Count);
        Assert.All(listener.Tags, t => Assert.Equal("limit=user,store=memory", t));
        // The outage is reported once for 23 requests, without a stack trace.
        var fallback = Assert.Single(api.Logs.Lines, l => l.Contains("Rate limits fall back to this process", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", fallback, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedTokens_AreCountedByReason()
    {
        await using var issuer = await OidcIssuer.StartAsync(McpApiHost.Resource);
        await using var api = new McpApiHost(McpApiHost.AuthoritySettings(issuer.Issuer));
        using var client = api.Client();
        using var listener = new CounterListener(api.Services.GetRequiredService<IMeterFactory>(), "workplace.auth.failures");

        await client.GetWithTokenAsync("/_probe", null);
        await client.GetWithTokenAsync("/_probe", issuer.Mint(new TokenSpec { NotBefore = DateTimeOffset.UtcNow.AddHours(-2), Expires = DateTimeOffset.UtcNow.AddHours(-1) }));
        await client.GetWithTokenAsync("/_probe?access_token=x", null);

        Assert.Equal(["reason=missing_token", "reason=expired", "reason=token_in_query"], listener.Tags);
    }

    private static Dictionary<string, string?> Limited(OidcIssuer issuer, string userPerMinute, string userBurst)
    {
        var settings = McpApiHost.AuthoritySettings(issuer.Issuer);
        settings["Auth:RateLimit:UserRequestsPerMinute"] = userPerMinute;
        settings["Auth:RateLimit:UserBurst"] = userBurst;
        return settings;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Records one counter of the app's own meter (its IMeterFactory scope), as "tag=value,…" per measurement.</summary>
    private sealed class CounterListener : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<string> _tags = [];

        public CounterListener(IMeterFactory scope, string instrument)
        {
            _listener.InstrumentPublished = (i, l) =>
            {
                if (i.Meter.Name == AuthMetrics.MeterName && i.Meter.Scope == scope && i.Name == instrument)
                {
                    l.EnableMeasurementEvents(i);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
            {
                lock (_tags)
                {
                    _tags.Add(string.Join(',', tags.ToArray().Select(t => $"{t.Key}={t.Value}")));
                }
            });
            _listener.Start();
        }

        public IReadOnlyList<string> Tags
        {
            get
            {
                lock (_tags)
                {
                    return [.. _tags];
                }
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
