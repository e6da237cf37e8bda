using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Emulators.Notion;

public sealed class NotionFaultTests
{
    [Fact]
    public async Task RateLimited_Is429WithRetryAfter_ForItsUserAndCount()
    {
        await using var emulators = new EmulatorsHost();
        using var notion = new NotionCalls(emulators.BaseAddress);
        var aditi = await notion.TokenAsync("aditi");
        var renata = await notion.TokenAsync("renata");
        await InjectAsync(notion, new { kind = "RateLimited", count = 1, retryAfterSeconds = 3, user = "aditi" });

        var other = await notion.PostAsync("search", renata, "{}");
        var limited = await notion.PostAsync("search", aditi, "{}");
        var next = await notion.PostAsync("search", aditi, "{}");

        Assert.Equal(200, other.Status);
        NotionCalls.AssertError(429, "rate_limited", limited);
        Assert.Equal(TimeSpan.FromSeconds(3), limited.Response.Headers.RetryAfter?.Delta);
        Assert.Equal(200, next.Status);
    }

    [Fact]
    public async Task ProviderThrottled_IsNotions529ServiceOverload()
    {
        await using var emulators = new EmulatorsHost();
        using var notion = new NotionCalls(emulators.BaseAddress);
        var aditi = await notion.TokenAsync("aditi");
        await InjectAsync(notion, new { kind = "ProviderThrottled", count = 1, retryAfterSeconds = 2 });

        var overloaded = await notion.GetAsync($"pages/{Guid.NewGuid()}", aditi);

        NotionCalls.AssertError(529, "service_overload", overloaded);
        Assert.Equal(TimeSpan.FromSeconds(2), overloaded.Response.Headers.RetryAfter?.Delta);
    }

    [Theory]
    [InlineData(null, 503, "service_unavailable")]
    [InlineData(500, 500, "internal_server_error")]
    [InlineData(502, 502, "bad_gateway")]
    [InlineData(504, 504, "gateway_timeout")]
    public async Task ServerError_AnswersItsStatus_WithNotionsCode(int? status, int expectedStatus, string expectedCode)
    {
        await using var emulators = new EmulatorsHost();
        using var notion = new NotionCalls(emulators.BaseAddress);
        var aditi = await notion.TokenAsync("aditi");
        await InjectAsync(notion, new { kind = "ServerError", count = 1, status });

        NotionCalls.AssertError(expectedStatus, expectedCode, await notion.PostAsync("search", aditi, "{}"));
        Assert.Equal(200, (await notion.PostAsync("search", aditi, "{}")).Status);
    }

    [Fact]
    public async Task Latency_DelaysTheAnswer_WhichIsStillRight()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulators = new EmulatorsHost { ConfigureServices = services => services.AddSingleton<TimeProvider>(time) };
        using var notion = new NotionCalls(emulators.BaseAddress);
        var aditi = await notion.TokenAsync("aditi");
        await InjectAsync(notion, new { kind = "Latency", count = 1, latencyMs = 400 });

        var answer = notion.PostAsync("search", aditi, """{"query":"roadmap"}""");
        time.Advance(TimeSpan.FromMilliseconds(399));
        var early = answer.IsCompleted;
        await Poll.UntilAsync(() =>
        {
            time.Advance(TimeSpan.FromMilliseconds(50));
            return Task.FromResult(answer.IsCompleted);
        }, TimeSpan.FromSeconds(10), "the delayed answer");
        var slow = await answer;

        Assert.False(early, "The answer came before 400 ms of the emulator's clock had passed.");
        Assert.Equal(["Fleet Console roadmap for customers"], slow.Body["results"]!.AsArray().Select(r => NotionCalls.Title(r!.AsObject())));
    }

    [Fact]
    public async Task Hang_GivesNoAnswer_UntilTheClientGivesUp()
    {
        await using var emulators = new EmulatorsHost();
        using var notion = new NotionCalls(emulators.BaseAddress);
        var aditi = await notion.TokenAsync("aditi");
        await InjectAsync(notion, new { kind = "Hang", user = "aditi" });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/notion/v1/search") { Content = JsonContent.Create(new { }) };
        request.Headers.Authorization = new("Bearer", aditi);
        request.Headers.Add("Notion-Version", NotionCalls.Version);
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => notion.Http.SendAsync(request, giveUp.Token));
        using var cleared = await notion.Http.DeleteAsync("/admin/faults/notion");
        Assert.Equal(200, (await notion.PostAsync("search", aditi, "{}")).Status);
    }

    [Fact]
    public async Task MalformedJson_IsA200WhoseBodyDoesNotParse()
    {
        await using var emulators = new EmulatorsHost();
        using var notion = new NotionCalls(emulators.BaseAddress);
        var aditi = await notion.TokenAsync("aditi");
        await InjectAsync(notion, new { kind = "MalformedJson", count = 1 });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/notion/v1/search") { Content = JsonContent.Create(new { }) };
        request.Headers.Authorization = new("Bearer", aditi);
        request.Headers.Add("Notion-Version", NotionCalls.Version);

        using var response = await notion.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
    }

    [Fact]
    public async Task ExpiredToken_Is401_AndARefreshedTokenWorksOnceTheFaultIsUsed()
    {
        await using var emulators = new EmulatorsHost();
        using var notion = new NotionCalls(emulators.BaseAddress);
        var grant = await notion.GrantAsync("priya");
        await InjectAsync(notion, new { kind = "ExpiredToken", count = 1, user = "priya" });

        var expired = await notion.PostAsync("search", grant["access_token"]!.GetValue<string>(), "{}");
        using var refresh = new HttpRequestMessage(HttpMethod.Post, "/notion/v1/oauth/token")
        {
            Content = JsonContent.Create(new { grant_type = "refresh_token", refresh_token = grant["refresh_token"]!.GetValue<string>() }),
        };
        refresh.Headers.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{NotionCalls.ClientId}:{NotionCalls.ClientSecret}")));
        using var refreshed = await notion.Http.SendAsync(refresh);
        var token = (await refreshed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();

        NotionCalls.AssertError(401, "unauthorized", expired);
        Assert.True(refreshed.IsSuccessStatusCode);
        Assert.Equal(200, (await notion.PostAsync("search", token, "{}")).Status);
    }

    private static async Task InjectAsync(NotionCalls notion, object fault)
    {
        using var response = await notion.Http.PostAsJsonAsync("/admin/faults/notion", fault);
        response.EnsureSuccessStatusCode();
    }
}
