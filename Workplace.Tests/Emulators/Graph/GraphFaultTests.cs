using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Workplace.Emulators.Faults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Emulators.Graph;

public sealed class GraphFaultTests
{
    [Theory]
    [InlineData(FaultKind.RateLimited, HttpStatusCode.TooManyRequests, "TooManyRequests")]
    [InlineData(FaultKind.ProviderThrottled, HttpStatusCode.ServiceUnavailable, "serviceNotAvailable")]
    public async Task Throttling_AnswersGraphsShape_WithRetryAfter_ThenRecovers(FaultKind kind, HttpStatusCode status, string code)
    {
        await using var emulators = new EmulatorsHost();
        using var aditi = await emulators.ClientForAsync("aditi");
        emulators.Faults.Add("graph", new Fault(kind, Count: 1, RetryAfterSeconds: 7));

        using var throttled = await aditi.SearchAsync("kestrel");
        using var next = await aditi.SearchAsync("kestrel");

        Assert.Equal(status, throttled.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), throttled.Headers.RetryAfter?.Delta);
        Assert.Equal(code, await throttled.ErrorCodeAsync());
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Theory]
    [InlineData(500, "generalException")]
    [InlineData(503, "serviceNotAvailable")]
    [InlineData(504, "gatewayTimeout")]
    public async Task ServerErrors_AnswerTheirStatus_InGraphsShape(int status, string code)
    {
        await using var emulators = new EmulatorsHost();
        using var aditi = await emulators.ClientForAsync("aditi");
        emulators.Faults.Add("graph", new Fault(FaultKind.ServerError, Count: 1, Status: status));

        using var response = await aditi.SearchAsync("kestrel");

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(code, await response.ErrorCodeAsync());
    }

    [Fact]
    public async Task AFaultForOneUser_LeavesTheOthersAlone()
    {
        await using var emulators = new EmulatorsHost();
        using var aditi = await emulators.ClientForAsync("aditi");
        using var priya = await emulators.ClientForAsync("priya");
        emulators.Faults.Add("graph", new Fault(FaultKind.ServerError, User: "aditi"));

        using var failing = await aditi.SearchAsync("kestrel");
        using var fine = await priya.SearchAsync("kestrel");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }

    [Fact]
    public async Task Latency_DelaysTheAnswer()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulators = new EmulatorsHost { ConfigureServices = services => services.AddSingleton<TimeProvider>(time) };
        using var aditi = await emulators.ClientForAsync("aditi");
        emulators.Faults.Add("graph", new Fault(FaultKind.Latency, Count: 1, LatencyMs: 300));

        var answer = aditi.SearchAsync("kestrel");
        time.Advance(TimeSpan.FromMilliseconds(299));
        var early = answer.IsCompleted;
        using var response = await Poll.UntilAsync(() =>
        {
            time.Advance(TimeSpan.FromMilliseconds(50));
            return Task.FromResult(answer.IsCompleted ? answer.Result : null);
        }, TimeSpan.FromSeconds(10), "the delayed answer");

        Assert.False(early, "The answer came before 300 ms of the emulator's clock had passed.");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Hang_AnswersNothingUntilTheClientGivesUp()
    {
        await using var emulators = new EmulatorsHost();
        using var aditi = await emulators.ClientForAsync("aditi");
        emulators.Faults.Add("graph", new Fault(FaultKind.Hang, Count: 1));
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => aditi.PostAsJsonAsync("search/query", new { requests = Array.Empty<object>() }, giveUp.Token));
        using var after = await aditi.SearchAsync("kestrel");

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task MalformedJson_IsA200ThatDoesNotParse()
    {
        await using var emulators = new EmulatorsHost();
        using var aditi = await emulators.ClientForAsync("aditi");
        emulators.Faults.Add("graph", new Fault(FaultKind.MalformedJson, Count: 1));

        using var response = await aditi.SearchAsync("kestrel");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        await Assert.ThrowsAnyAsync<JsonException>(() => response.Content.ReadFromJsonAsync<JsonElement>());
    }

    [Fact]
    public async Task ExpiredToken_ExpiresTheTokensIssuedSoFar_AndARefreshedOneWorks()
    {
        await using var emulators = new EmulatorsHost();
        var grant = await emulators.GrantAsync("aditi");
        using var stale = emulators.ClientWithToken(grant.GetProperty("access_token").GetString()!);
        emulators.Faults.Add("graph", new Fault(FaultKind.ExpiredToken, Count: 1));

        using var expired = await stale.SearchAsync("kestrel");
        using var stillExpired = await stale.SearchAsync("kestrel");
        using var fresh = await RefreshAsync(emulators, grant.GetProperty("refresh_token").GetString()!);
        using var renewed = emulators.ClientWithToken((await fresh.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!);
        using var works = await renewed.SearchAsync("kestrel");

        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal("InvalidAuthenticationToken", await expired.ErrorCodeAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, stillExpired.StatusCode);
        Assert.Equal(HttpStatusCode.OK, works.StatusCode);
    }

    [Fact]
    public async Task RevokedGrant_RefusesAccessTokens_AndRefreshIsAnInvalidGrant()
    {
        await using var emulators = new EmulatorsHost();
        var grant = await emulators.GrantAsync("priya");
        emulators.Faults.Add("graph", new Fault(FaultKind.RevokedGrant, User: "priya"));

        using var refresh = await RefreshAsync(emulators, grant.GetProperty("refresh_token").GetString()!);
        using var priya = emulators.ClientWithToken(grant.GetProperty("access_token").GetString()!);
        using var search = await priya.SearchAsync("kestrel");

        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
        Assert.Equal("invalid_grant", (await refresh.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, search.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer ")]
    [InlineData("Bearer not-a-token")]
    [InlineData("Basic YWRpdGk6eA==")]
    public async Task WithoutAValidBearer_GraphAnswers401(string? authorization)
    {
        await using var emulators = new EmulatorsHost();
        using var http = new HttpClient { BaseAddress = new Uri(emulators.BaseAddress, "/graph/v1.0/") };
        if (authorization is not null)
        {
            http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await http.SearchAsync("kestrel");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("InvalidAuthenticationToken", await response.ErrorCodeAsync());
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> RefreshAsync(EmulatorsHost emulators, string refreshToken)
    {
        using var http = new HttpClient { BaseAddress = emulators.BaseAddress };
        return await http.PostAsync("/graph/common/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = "workplace",
        }));
    }
}
