using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Workplace.Tests.Infrastructure;
using Workplace.Emulators.Faults;

namespace Workplace.Tests.Emulators.Google;

/// <summary>Each fault kind, injected through /admin/faults/google, as Drive would answer it.</summary>
[Collection(GoogleEmulatorCollection.Name)]
public sealed class DriveFaultTests(EmulatorsHost emulators) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        using var admin = new HttpClient { BaseAddress = emulators.BaseAddress };
        using var cleared = await admin.DeleteAsync("/admin/faults/google");
        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
    }

    [Fact]
    public async Task RateLimited_Is429WithRetryAfter_ForItsUserOnly_ThenClears()
    {
        using var aditi = await GoogleSession.SignInAsync(emulators, "aditi");
        using var renata = await GoogleSession.SignInAsync(emulators, "renata");
        await InjectAsync(new { kind = "RateLimited", count = 1, retryAfterSeconds = 7, user = "aditi" });

        using var limited = await aditi.Http.GetAsync("files");
        using var other = await renata.Http.GetAsync("files");
        using var after = await aditi.Http.GetAsync("files");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), limited.Headers.RetryAfter?.Delta);
        var error = await GoogleSession.ErrorOf(limited);
        var item = Assert.Single(error.GetProperty("errors").EnumerateArray());
        Assert.Equal(("usageLimits", "rateLimitExceeded"), (item.GetProperty("domain").GetString(), item.GetProperty("reason").GetString()));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task ProviderThrottled_IsGoogles403RateLimitExceeded_WithoutRetryAfter()
    {
        using var aditi = await GoogleSession.SignInAsync(emulators, "aditi");
        await InjectAsync(new { kind = "ProviderThrottled", count = 1 });

        using var response = await aditi.Http.GetAsync("files");

        await DriveFilesTests.AssertError(response, HttpStatusCode.Forbidden, "rateLimitExceeded", "Rate Limit Exceeded");
        Assert.Equal("usageLimits", Assert.Single((await GoogleSession.ErrorOf(response)).GetProperty("errors").EnumerateArray()).GetProperty("domain").GetString());
        Assert.Null(response.Headers.RetryAfter);
    }

    [Theory]
    [InlineData(500, "Internal Error")]
    [InlineData(503, "The service is currently unavailable.")]
    public async Task ServerError_IsA5xxBackendError(int status, string message)
    {
        using var aditi = await GoogleSession.SignInAsync(emulators, "aditi");
        await InjectAsync(new { kind = "ServerError", count = 1, status });

        using var response = await aditi.Http.GetAsync("files");

        await DriveFilesTests.AssertError(response, (HttpStatusCode)status, "backendError", message);
    }

    [Fact]
    public async Task Latency_DelaysTheAnswer_ThatStillComes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var slow = new EmulatorsHost { ConfigureServices = services => services.AddSingleton<TimeProvider>(time) };
        using var aditi = await GoogleSession.SignInAsync(slow, "aditi");
        slow.Faults.Add("google", new Fault(FaultKind.Latency, Count: 1, LatencyMs: 400));

        var answer = aditi.Http.GetAsync("files");
        time.Advance(TimeSpan.FromMilliseconds(399));
        var early = answer.IsCompleted;
        using var response = await Poll.UntilAsync(() =>
        {
            time.Advance(TimeSpan.FromMilliseconds(50));
            return Task.FromResult(answer.IsCompleted ? answer.Result : null);
        }, TimeSpan.FromSeconds(10), "the delayed answer");

        Assert.False(early, "The answer came before 400 ms of the emulator's clock had passed.");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Hang_NeverAnswers_UntilTheClientGivesUp()
    {
        using var aditi = await GoogleSession.SignInAsync(emulators, "aditi");
        await InjectAsync(new { kind = "Hang", count = 1 });

        using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => aditi.Http.GetAsync("files", giveUp.Token));
        using var next = await aditi.Http.GetAsync("files");

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task MalformedJson_IsA200WhoseBodyDoesNotParse()
    {
        using var aditi = await GoogleSession.SignInAsync(emulators, "aditi");
        await InjectAsync(new { kind = "MalformedJson", count = 1 });

        using var response = await aditi.Http.GetAsync("files");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
    }

    [Fact]
    public async Task ExpiredToken_Is401AuthError_AndRefreshStillWorks()
    {
        using var aditi = await GoogleSession.SignInAsync(emulators, "aditi");
        await InjectAsync(new { kind = "ExpiredToken", count = 1 });

        using var expired = await aditi.Http.GetAsync("files");
        using var refreshed = await GoogleOAuthTests.RefreshAsync(emulators, aditi.RefreshToken);

        await DriveFilesTests.AssertError(expired, HttpStatusCode.Unauthorized, "authError",
            "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.");
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
    }

    [Fact]
    public async Task RevokedGrant_Is401_AndRefreshIsInvalidGrant_WhileItLasts()
    {
        using var aditi = await GoogleSession.SignInAsync(emulators, "aditi");
        using var renata = await GoogleSession.SignInAsync(emulators, "renata");
        await InjectAsync(new { kind = "RevokedGrant", user = "aditi" });

        using var refused = await aditi.Http.GetAsync("files");
        using var refresh = await GoogleOAuthTests.RefreshAsync(emulators, aditi.RefreshToken);
        using var otherRefresh = await GoogleOAuthTests.RefreshAsync(emulators, renata.RefreshToken);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        await GoogleOAuthTests.AssertOAuthError(refresh, HttpStatusCode.BadRequest, "invalid_grant", "Token has been expired or revoked.");
        Assert.Equal(HttpStatusCode.OK, otherRefresh.StatusCode);
    }

    private async Task InjectAsync(object fault)
    {
        using var admin = new HttpClient { BaseAddress = emulators.BaseAddress };
        using var response = await admin.PostAsync("/admin/faults/google", JsonContent.Create(fault));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }
}
