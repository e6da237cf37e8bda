using System.Net;
using System.Text.Json.Nodes;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Workplace.Connectors.Sources;
using Workplace.Connectors.Sources.Providers;
using Workplace.Tests.Infrastructure;
using Workplace.Tests.ServiceDefaults;

namespace Workplace.Tests.Sources.Providers;

// AddProviderResilience on real clients calling the real emulators, which fail on request (faults). Time is fake: the
// standard handler's strategies and the budget's waits take it from DI.
public sealed class ProviderResilienceTests : IAsyncLifetime
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(20);

    // No backoff, so retries need no time to pass; a wait can only be a Retry-After.
    private static readonly Dictionary<string, string?> s_noBackoff = new()
    {
        ["HttpResilience:Clients:notion:Retry:Delay"] = "00:00:00",
        ["HttpResilience:Clients:drive:Retry:Delay"] = "00:00:00",
    };

    private readonly WatchedTimeProvider _time = new();
    private CountedEmulators _emulators = null!;

    public async Task InitializeAsync() => _emulators = await CountedEmulators.StartAsync();

    public async Task DisposeAsync() => await _emulators.DisposeAsync();

    private static Task UntilAsync(Func<bool> condition, string what) => Poll.UntilAsync(() => Task.FromResult(condition()), s_deadline, what);

    [Fact]
    public async Task Notion429_WithRetryAfter_IsWaitedOut_AndSucceeds()
    {
        using var host = await ProviderHost.StartAsync(_emulators.BaseAddress, _time);
        var token = await _emulators.TokenAsync("notion", "aditi");
        await _emulators.FaultAsync("notion", new { kind = "RateLimited", count = 1, retryAfterSeconds = 3 });

        using var request = ProviderHost.Get("users/me", token);
        var call = host.Notion.SendAsync(request);
        await UntilAsync(() => _time.HasTimerDueIn(TimeSpan.FromSeconds(3)), "the wait Retry-After asked for");
        _time.Advance(TimeSpan.FromSeconds(2.9));
        Assert.Equal(1, _emulators.NotionRequests);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        using var response = await call;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _emulators.NotionRequests);
    }

    [Fact]
    public async Task RetryAfter_LongerThanTheProvidersLimit_IsHandedBack_AsRateLimited()
    {
        using var host = await ProviderHost.StartAsync(_emulators.BaseAddress, _time);
        var token = await _emulators.TokenAsync("notion", "aditi");
        await _emulators.FaultAsync("notion", new { kind = "RateLimited", count = 1, retryAfterSeconds = 30 });

        using var request = ProviderHost.Get("users/me", token);
        using var response = await host.Notion.SendAsync(request);

        // Waiting 30 s would overrun mcpapi's 8 s per source: the caller gets the 429 and says when to come back.
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), response.Headers.RetryAfter?.Delta);
        Assert.Equal(1, _emulators.NotionRequests);
        var failure = await ProviderFailures.ThrottledAsync(response, "notion", "Notion", CancellationToken.None);
        Assert.NotNull(failure);
        Assert.Equal(SourceFailure.RateLimited, failure.Failure);
        Assert.Equal(TimeSpan.FromSeconds(30), failure.RetryAfter);
        Assert.Equal("Notion asks this service to slow down (its rate limit). Try again in 30 s.", failure.Message);
    }

    [Fact]
    public async Task GoogleRateLimit403_IsRetried_AndTheFinalAnswerStillReadsWhole()
    {
        // Five failed attempts in six would open the provider's breaker (half of at least five): the client's own section
        // raises the minimum, as an operator would.
        using var host = await ProviderHost.StartAsync(_emulators.BaseAddress, _time, new(s_noBackoff)
        {
            ["HttpResilience:Clients:drive:CircuitBreaker:MinimumThroughput"] = "100",
        });
        var token = await _emulators.TokenAsync("google", "aditi");
        await _emulators.FaultAsync("google", new { kind = "ProviderThrottled", count = 1 });

        using (var request = ProviderHost.Get("files?q=trashed%20%3D%20false", token))
        using (var retried = await host.Drive.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
            Assert.Equal("drive#fileList", JsonNode.Parse(await retried.Content.ReadAsStringAsync())!["kind"]!.GetValue<string>());
            Assert.Equal(2, _emulators.DriveRequests);
        }

        // Throttled on every attempt: the last 403 reaches the caller, its body read for the reason and still whole.
        await _emulators.FaultAsync("google", new { kind = "ProviderThrottled", count = 10 });
        using var again = ProviderHost.Get("files", token);
        using var throttled = await host.Drive.SendAsync(again);

        Assert.Equal(HttpStatusCode.Forbidden, throttled.StatusCode);
        Assert.Equal("rateLimitExceeded", JsonNode.Parse(await throttled.Content.ReadAsStringAsync())!["error"]!["errors"]![0]!["reason"]!.GetValue<string>());
        Assert.Equal(2 + 4, _emulators.DriveRequests);
        var failure = await ProviderFailures.ThrottledAsync(throttled, "google_drive", "Google Drive", CancellationToken.None);
        Assert.NotNull(failure);
        Assert.Equal(SourceFailure.RateLimited, failure.Failure);
        Assert.Null(failure.RetryAfter);
        Assert.Equal("Google Drive asks this service to slow down (its rate limit). Try again in a minute.", failure.Message);
    }

    [Fact]
    public async Task Google403_ThatIsNoRateLimit_IsNotRetried()
    {
        using var host = await ProviderHost.StartAsync(_emulators.BaseAddress, _time, s_noBackoff);
        // A grant without any Drive scope: Drive refuses it with a 403 of another reason.
        var token = await _emulators.TokenAsync("google", "aditi", scope: "openid email");

        using var request = ProviderHost.Get("files", token);
        using var refused = await host.Drive.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(1, _emulators.DriveRequests);
        Assert.Null(await ProviderFailures.ThrottledAsync(refused, "google_drive", "Google Drive", CancellationToken.None));
        Assert.Equal("insufficientPermissions", JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"]!["errors"]![0]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Notion529_OnSearch_IsRetried_ThoughSearchIsAPost()
    {
        using var host = await ProviderHost.StartAsync(_emulators.BaseAddress, _time, s_noBackoff);
        var token = await _emulators.TokenAsync("notion", "aditi");
        await _emulators.FaultAsync("notion", new { kind = "ProviderThrottled", count = 2 });

        using var request = ProviderHost.NotionSearch(token, "roadmap");
        using var response = await host.Notion.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, _emulators.NotionRequests);
    }

    [Fact]
    public async Task Hang_BecomesTimeout_AtTheTotalDeadline_WithinMcpApisPerSourceDeadline()
    {
        using var host = await ProviderHost.StartAsync(_emulators.BaseAddress, _time);
        var token = await _emulators.TokenAsync("notion", "aditi");
        await _emulators.FaultAsync("notion", new { kind = "Hang" });

        using var request = ProviderHost.Get("users/me", token);
        var call = host.Notion.SendAsync(request);
        await UntilAsync(() => _emulators.NotionRequests == 1, "the first attempt to reach Notion");
        // The attempt times out at 5 s and is retried after its backoff; the total deadline ends it all at 7 s.
        _time.Advance(ProviderResilience.TotalTimeout - TimeSpan.FromMilliseconds(1));
        Assert.False(call.IsCompleted, "the call ended before its total deadline");
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var error = await Assert.ThrowsAsync<TimeoutRejectedException>(() => call);

        Assert.True(ProviderResilience.TotalTimeout < TimeSpan.FromSeconds(8), "the provider's deadline must end before mcpapi's 8 s per source");
        var failure = ProviderFailures.Translate(error, "Notion");
        Assert.NotNull(failure);
        Assert.Equal(SourceFailure.Timeout, failure.Failure);
        Assert.Equal("Notion did not answer within 7 s. Try again later, or narrow the query.", failure.Message);
    }

    [Fact]
    public async Task RepeatedFailures_OpenTheCircuit_WhichSaysUntilWhen_AndFailsAtOnce()
    {
        using var host = await ProviderHost.StartAsync(_emulators.BaseAddress, _time, s_noBackoff);
        var token = await _emulators.TokenAsync("notion", "aditi");
        await _emulators.FaultAsync("notion", new { kind = "ServerError", status = 502 });
        var opened = _time.GetUtcNow();

        // Each call is four attempts; five failures of five open the breaker.
        BrokenCircuitException? broken = null;
        for (var call = 0; call < 5 && broken is null; call++)
        {
            using var request = ProviderHost.Get("users/me", token);
            try
            {
                using var response = await host.Notion.SendAsync(request);
                Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
            }
            catch (BrokenCircuitException e)
            {
                broken = e;
            }
        }
        Assert.NotNull(broken);
        Assert.Equal(opened + TimeSpan.FromSeconds(15), host.Circuits.PausedUntil("notion"));
        Assert.Null(host.Circuits.PausedUntil("google_drive"));

        // While open, a call fails without reaching the provider.
        var reached = _emulators.NotionRequests;
        using (var request = ProviderHost.Get("users/me", token))
        {
            var rejected = await Assert.ThrowsAsync<BrokenCircuitException>(() => host.Notion.SendAsync(request));
            var failure = ProviderFailures.Translate(rejected, "Notion");
            Assert.NotNull(failure);
            Assert.Equal(SourceFailure.Unavailable, failure.Failure);
            Assert.Equal(TimeSpan.FromSeconds(15), failure.RetryAfter);
            Assert.Equal("Notion is paused after repeated failures and is tried again in 15 s; the other sources still answer.", failure.Message);
        }
        // One breaker for the provider, not one per host: the same client calling another authority is cut too.
        var otherAuthority = new UriBuilder(_emulators.BaseAddress) { Host = "localhost", Path = "/notion/v1/users/me" }.Uri;
        using (var request = ProviderHost.Get(otherAuthority.ToString(), token))
        {
            await Assert.ThrowsAsync<BrokenCircuitException>(() => host.Notion.SendAsync(request));
        }
        Assert.Equal(reached, _emulators.NotionRequests);

        // The other provider's client has its own breaker.
        var driveToken = await _emulators.TokenAsync("google", "aditi");
        using (var request = ProviderHost.Get("files", driveToken))
        using (var drive = await host.Drive.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.OK, drive.StatusCode);
        }

        // Once the break is over and Notion is back, a probe closes the circuit.
        await _emulators.ClearFaultsAsync("notion");
        _time.Advance(TimeSpan.FromSeconds(15));
        Assert.Null(host.Circuits.PausedUntil("notion"));
        using (var request = ProviderHost.Get("users/me", token))
        using (var back = await host.Notion.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        }
        Assert.Null(host.Circuits.PausedUntil("notion"));
    }

    [Fact]
    public async Task ConnectionRefused_TranslatesToAProviderFailure_ThatSaysWhatToCheck()
    {
        var closed = RedisServer.FreeLoopbackPort();
        using var host = await ProviderHost.StartAsync(new Uri($"http://127.0.0.1:{closed}/"), _time, s_noBackoff);

        using var request = ProviderHost.Get("users/me", "token");
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => host.Notion.SendAsync(request));
        var failure = ProviderFailures.Translate(error, "Notion");

        Assert.NotNull(failure);
        Assert.Equal(SourceFailure.ProviderFailure, failure.Failure);
        Assert.Equal("Notion could not be reached: it refused the connection. Check the source's BaseUrl, or try again once the provider is back.", failure.Message);
        Assert.DoesNotContain(closed.ToString(System.Globalization.CultureInfo.InvariantCulture), failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_LeavesOtherExceptions_AndTheCallersCancellation_ToTheSource()
    {
        Assert.Null(ProviderFailures.Translate(new OperationCanceledException(), "Notion"));
        Assert.Null(ProviderFailures.Translate(new InvalidOperationException("a bug"), "Notion"));
        var known = new SourceRequestException(SourceFailure.RateLimited, "busy", TimeSpan.FromSeconds(1));
        Assert.Same(known, ProviderFailures.Translate(known, "Notion"));
    }
}
