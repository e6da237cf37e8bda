using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Workplace.ServiceDefaults.Resilience;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.ServiceDefaults;

// The standard resilience handler every HttpClient gets from AddServiceDefaults, with the project's retry rules,
// against a real flaky server on loopback. Time is a FakeTimeProvider: the strategies take it from DI.
public sealed class ResilienceHandlerTests : IAsyncLifetime
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(20);

    private readonly WatchedTimeProvider _time = new();
    private FlakyServer _server = null!;

    public async Task InitializeAsync() => _server = await FlakyServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    // No backoff, so any wait can only come from Retry-After, and retries need no time to pass.
    private static readonly Dictionary<string, string?> s_noBackoff = new()
    {
        ["HttpResilience:Retry:Delay"] = "00:00:00",
    };

    private async Task<IHost> StartHostAsync(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(s_noBackoff);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }
        builder.Services.AddSingleton<TimeProvider>(_time);
        services?.Invoke(builder.Services);
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

    private Task UntilHitsAsync(string path, int count) =>
        Poll.UntilAsync(() => Task.FromResult(_server.HitsOn(path).Count >= count), s_deadline, $"{count} requests to {path}");

    private Task UntilTimerAsync(TimeSpan dueTime) =>
        Poll.UntilAsync(() => Task.FromResult(_time.HasTimerDueIn(dueTime)), s_deadline, $"a wait of {dueTime}");

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
        _server.Script("/limited", new FlakyServer.Reply(429, RetryAfter: "7"));

        var call = Client(host, "seconds").GetAsync("/limited");
        await UntilTimerAsync(TimeSpan.FromSeconds(7));
        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.Single(_server.HitsOn("/limited"));
        _time.Advance(TimeSpan.FromSeconds(1));
        using var response = await call;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _server.HitsOn("/limited").Count);
    }

    [Fact]
    public async Task ServiceUnavailable_WithRetryAfterHttpDate_WaitsUntilThen()
    {
        using var host = await StartHostAsync();
        // The date is read against the clock the waits run on: with the system clock this one would be long past.
        var date = _time.GetUtcNow().AddSeconds(12).ToString("R", CultureInfo.InvariantCulture);
        _server.Script("/dated", new FlakyServer.Reply(503, RetryAfter: date));

        var call = Client(host, "date").GetAsync("/dated");
        await UntilTimerAsync(TimeSpan.FromSeconds(12));
        _time.Advance(TimeSpan.FromSeconds(12));
        using var response = await call;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _server.HitsOn("/dated").Count);
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
    public async Task MaxRetryAfter_PerClient_OverridesTheDefault()
    {
        using var host = await StartHostAsync(new() { ["HttpResilience:Clients:impatient:MaxRetryAfter"] = "00:00:01" });
        _server.Script("/soon", new FlakyServer.Reply(429, RetryAfter: "2"));

        using var response = await Client(host, "impatient").GetAsync("/soon");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Single(_server.HitsOn("/soon"));
    }

    [Fact]
    public async Task Post_ServiceUnavailable_IsNotRetried_UnlessMarkedSafeToRetry()
    {
        using var host = await StartHostAsync();
        var client = Client(host, "post");
        _server.Script("/write", new FlakyServer.Reply(503), new FlakyServer.Reply(503));

        using var response = await client.PostAsync("/write", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Single(_server.HitsOn("/write"));

        // Act again with the caller vouching that sending its POST again is safe (a read-only search).
        using var marked = new HttpRequestMessage(HttpMethod.Post, "/write") { Content = new StringContent("{}") };
        marked.Options.Set(HttpResiliencePolicy.RetryNonIdempotent, true);
        using var retried = await client.SendAsync(marked);

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(3, _server.HitsOn("/write").Count);
    }

    [Fact]
    public async Task Post_TooManyRequests_IsRetried()
    {
        using var host = await StartHostAsync();
        _server.Script("/submit", new FlakyServer.Reply(429));

        using var response = await Client(host, "post429").PostAsync("/submit", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _server.HitsOn("/submit").Count);
    }

    [Fact]
    public async Task Post_ConnectionRefused_IsRetried()
    {
        var connects = 0;
        using var host = await StartHostAsync(services: services => services.AddHttpClient("refused")
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                ConnectCallback = async (context, cancellationToken) =>
                {
                    Interlocked.Increment(ref connects);
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    try
                    {
                        await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            }));
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("refused");

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync($"http://127.0.0.1:{ClosedPort()}/submit", new StringContent("{}")));

        Assert.Equal(HttpRequestError.ConnectionError, error.HttpRequestError);
        // The first attempt and the standard handler's three retries.
        Assert.Equal(4, connects);
    }

    [Fact]
    public async Task CircuitBreaker_OpensAfterFailures_AndRejectsWithoutCalling()
    {
        using var host = await StartHostAsync(new()
        {
            ["HttpResilience:Clients:breaker:CircuitBreaker:MinimumThroughput"] = "2",
            ["HttpResilience:Clients:breaker:CircuitBreaker:FailureRatio"] = "0.5",
            ["HttpResilience:Clients:breaker:CircuitBreaker:SamplingDuration"] = "00:00:30",
            ["HttpResilience:Clients:breaker:CircuitBreaker:BreakDuration"] = "00:00:30",
        });
        _server.Always("/down", new(500));
        var client = Client(host, "breaker");

        // POSTs are not retried: each call is one failure.
        using (await client.PostAsync("/down", null))
        using (var second = await client.PostAsync("/down", null))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, second.StatusCode);
        }
        await Assert.ThrowsAsync<BrokenCircuitException>(() => client.PostAsync("/down", null));

        Assert.Equal(2, _server.HitsOn("/down").Count);
        // A client configured on its own has its own breaker: the shared default one is still closed.
        using var other = await Client(host, "other").PostAsync("/down", null);
        Assert.Equal(HttpStatusCode.InternalServerError, other.StatusCode);
        // And it closes again once the break is over.
        _time.Advance(TimeSpan.FromSeconds(30));
        _server.Always("/down", new(200));
        using var closed = await client.PostAsync("/down", null);
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
    }

    [Fact]
    public async Task SharedDefaultHandler_HasOneCircuitBreakerPerDownstream()
    {
        await using var healthy = await FlakyServer.StartAsync();
        using var host = await StartHostAsync(new()
        {
            ["HttpResilience:CircuitBreaker:MinimumThroughput"] = "2",
            ["HttpResilience:CircuitBreaker:FailureRatio"] = "0.5",
        });
        _server.Always("/down", new(500));
        var first = Client(host, "first");
        using (await first.PostAsync("/down", null))
        using (await first.PostAsync("/down", null))
        {
        }

        var second = Client(host, "second");

        // Clients without a handler of their own share the breakers: the failing host is cut for both…
        await Assert.ThrowsAsync<BrokenCircuitException>(() => second.PostAsync("/down", null));
        // …and any other host is not.
        using var elsewhere = await second.PostAsync(new Uri(healthy.BaseAddress, "/fine"), null);
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
    }

    [Fact]
    public async Task TotalTimeout_BoundsEveryAttemptAndWaitTogether()
    {
        using var host = await StartHostAsync(new()
        {
            ["HttpResilience:Clients:slow:AttemptTimeout:Timeout"] = "00:00:00.200",
            ["HttpResilience:Clients:slow:TotalRequestTimeout:Timeout"] = "00:00:00.700",
        });
        _server.Always("/hang", new(200, Delay: TimeSpan.FromMinutes(5)));

        var call = Client(host, "slow").GetAsync("/hang");
        // Each attempt times out after 200 ms and is retried at once, until the 700 ms in all run out.
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await UntilHitsAsync("/hang", attempt);
            _time.Advance(TimeSpan.FromMilliseconds(200));
        }
        await UntilHitsAsync("/hang", 4);
        _time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.False(call.IsCompleted, "the call ended before its total timeout");
        _time.Advance(TimeSpan.FromMilliseconds(1));

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => call);
        Assert.Equal(4, _server.HitsOn("/hang").Count);
    }

    [Theory]
    [InlineData("HttpResilience:Clients:bad:AttemptTimeout:Timeout", "00:01:00", "bad-standard", "Total request timeout")]
    [InlineData("HttpResilience:Clients:bad:Retry:MaxRetryAttempts", "0", "bad-standard", "MaxRetryAttempts")]
    [InlineData("HttpResilience:AttemptTimeout:Timeout", "00:00:00.001", "-standard", "Timeout")]
    [InlineData("HttpResilience:MaxRetryAfter", "-00:00:01", "", "MaxRetryAfter")]
    [InlineData("HttpResilience:Clients:bad:MaxRetryAfter", "2.00:00:00", "bad", "MaxRetryAfter")]
    public async Task InvalidOptions_FailTheStart_NamingTheClientAndTheSetting(string key, string value, string optionsName, string setting)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartHostAsync(new() { [key] = value }));

        Assert.Equal(optionsName, error.OptionsName);
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
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

    // A loopback port nothing listens on: bound, read, released.
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
