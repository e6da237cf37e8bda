using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Workplace.ServiceDefaults.Resilience;

namespace Workplace.Tests.ServiceDefaults;

// The resilience handler every HttpClient gets from AddServiceDefaults, against a real flaky server on loopback.
public sealed class ResilienceHandlerTests : IAsyncLifetime
{
    private FlakyServer _server = null!;

    public async Task InitializeAsync() => _server = await FlakyServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    // Short backoff so a wait longer than it can only come from Retry-After.
    private static readonly Dictionary<string, string?> s_fast = new()
    {
        ["HttpResilience:RetryBaseDelay"] = "00:00:00.010",
        ["HttpResilience:RetryMaxDelay"] = "00:00:00.050",
    };

    private static async Task<IHost> StartHostAsync(Dictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(s_fast);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }
        builder.AddServiceDefaults();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private HttpClient Client(IHost host, string name)
    {
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient(name);
        client.BaseAddress = _server.BaseAddress;
        return client;
    }

    [Fact]
    public async Task Get_TwoServiceUnavailable_IsRetriedToSuccess()
    {
        using var host = await StartHostAsync();
        _server.Script("/flaky", new FlakyServer.Reply(503), new FlakyServer.Reply(503));

        using var response = await Client(host, "get").GetAsync("/flaky");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, _server.HitsOn("/flaky").Count);
    }

    [Fact]
    public async Task TooManyRequests_WithRetryAfterSeconds_WaitsThatLong()
    {
        using var host = await StartHostAsync();
        _server.Script("/limited", new FlakyServer.Reply(429, RetryAfter: "1"));

        using var response = await Client(host, "seconds").GetAsync("/limited");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var hits = _server.HitsOn("/limited");
        Assert.Equal(2, hits.Count);
        var waited = Stopwatch.GetElapsedTime(hits[0].Timestamp, hits[1].Timestamp);
        Assert.InRange(waited, TimeSpan.FromMilliseconds(950), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ServiceUnavailable_WithRetryAfterHttpDate_WaitsUntilThen()
    {
        using var host = await StartHostAsync();
        // HTTP-dates have whole seconds and the first request needs a connection: three seconds ahead is still
        // well over half a second after the first hit, far beyond the 10-50 ms backoff.
        var date = DateTimeOffset.UtcNow.AddSeconds(3).ToString("R", CultureInfo.InvariantCulture);
        _server.Script("/dated", new FlakyServer.Reply(503, RetryAfter: date));

        using var response = await Client(host, "date").GetAsync("/dated");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var hits = _server.HitsOn("/dated");
        Assert.Equal(2, hits.Count);
        Assert.InRange(Stopwatch.GetElapsedTime(hits[0].Timestamp, hits[1].Timestamp), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task RetryAfter_LongerThanMaxRetryAfter_IsHandedBackUnretried()
    {
        using var host = await StartHostAsync(new() { ["HttpResilience:MaxRetryAfter"] = "00:00:05" });
        _server.Script("/later", new FlakyServer.Reply(429, RetryAfter: "120"));

        using var response = await Client(host, "later").GetAsync("/later");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(120), response.Headers.RetryAfter?.Delta);
        Assert.Single(_server.HitsOn("/later"));
    }

    [Fact]
    public async Task Post_ServiceUnavailable_IsNotRetried_UnlessMarkedIdempotent()
    {
        using var host = await StartHostAsync();
        var client = Client(host, "post");
        _server.Script("/write", new FlakyServer.Reply(503), new FlakyServer.Reply(503));

        using var response = await client.PostAsync("/write", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Single(_server.HitsOn("/write"));

        // Act again with the caller vouching that its POST is idempotent (a read-only search).
        using var marked = new HttpRequestMessage(HttpMethod.Post, "/write") { Content = new StringContent("{}") };
        marked.Options.Set(HttpResiliencePolicy.RetryNonIdempotent, true);
        using var retried = await client.SendAsync(marked);

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(3, _server.HitsOn("/write").Count);
    }

    [Fact]
    public async Task CircuitBreaker_OpensAfterFailures_AndRejectsFast()
    {
        using var host = await StartHostAsync(new()
        {
            ["HttpResilience:Clients:breaker:MaxRetryAttempts"] = "0",
            ["HttpResilience:Clients:breaker:MinimumThroughput"] = "2",
            ["HttpResilience:Clients:breaker:FailureRatio"] = "0.5",
            ["HttpResilience:Clients:breaker:SamplingDuration"] = "00:00:30",
            ["HttpResilience:Clients:breaker:BreakDuration"] = "00:00:30",
        });
        _server.Always("/down", new(500));
        var client = Client(host, "breaker");

        using (var first = await client.GetAsync("/down"))
        using (var second = await client.GetAsync("/down"))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, second.StatusCode);
        }
        var rejected = Stopwatch.StartNew();
        await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetAsync("/down"));

        Assert.True(rejected.Elapsed < TimeSpan.FromSeconds(1), $"an open breaker took {rejected.ElapsedMilliseconds} ms to reject");
        Assert.Equal(2, _server.HitsOn("/down").Count);
        // Per client: another client name has its own, closed breaker.
        using var other = await Client(host, "other").GetAsync("/down");
        Assert.Equal(HttpStatusCode.InternalServerError, other.StatusCode);
    }

    [Fact]
    public async Task TotalTimeout_BoundsEveryAttemptAndWaitTogether()
    {
        using var host = await StartHostAsync(new()
        {
            ["HttpResilience:Clients:slow:AttemptTimeout"] = "00:00:00.200",
            ["HttpResilience:Clients:slow:TotalTimeout"] = "00:00:00.700",
        });
        _server.Always("/hang", new(200, Delay: TimeSpan.FromSeconds(30)));
        _server.Always("/warm", new(200, Delay: TimeSpan.FromSeconds(30)));
        // The first attempt timeout in a process takes about a second to surface (cold code paths); warm that path
        // on another route so the timed run below sees the configured 200 ms attempts.
        await Assert.ThrowsAsync<TimeoutRejectedException>(() => Client(host, "slow").GetAsync("/warm"));
        var elapsed = Stopwatch.StartNew();

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => Client(host, "slow").GetAsync("/hang"));

        Assert.InRange(elapsed.Elapsed, TimeSpan.FromMilliseconds(600), TimeSpan.FromSeconds(5));
        // Attempts timed out at 200 ms and were retried until the total ran out.
        Assert.InRange(_server.HitsOn("/hang").Count, 2, 4);
    }

    [Fact]
    public async Task InvalidOptions_FailTheStart_NamingTheSetting()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartHostAsync(new()
        {
            ["HttpResilience:Clients:bad:AttemptTimeout"] = "00:01:00",
        }));

        Assert.Contains("HttpResilience:Clients:bad:TotalTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RetryAfter_ReadsSecondsAndHttpDates()
    {
        var now = new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);
        using var seconds = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        seconds.Headers.Add("Retry-After", "7");
        using var date = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        date.Headers.Add("Retry-After", "Sun, 22 Nov 2026 03:00:12 GMT");
        using var past = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        past.Headers.Add("Retry-After", "Sun, 22 Nov 2026 02:59:00 GMT");
        using var none = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);

        Assert.Equal(TimeSpan.FromSeconds(7), HttpResiliencePolicy.RetryAfter(seconds, now));
        Assert.Equal(TimeSpan.FromSeconds(12), HttpResiliencePolicy.RetryAfter(date, now));
        Assert.Equal(TimeSpan.Zero, HttpResiliencePolicy.RetryAfter(past, now));
        Assert.Null(HttpResiliencePolicy.RetryAfter(none, now));
    }
}
