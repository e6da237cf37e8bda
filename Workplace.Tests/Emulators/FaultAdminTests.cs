using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Workplace.Emulators.Faults;

namespace Workplace.Tests.Emulators;

public sealed class FaultAdminTests
{
    [Fact]
    public async Task APostedFault_AppliesToItsUser_ForItsCount_AndDeleteClearsTheRest()
    {
        await using var emulators = new EmulatorsHost();
        using var http = new HttpClient { BaseAddress = emulators.BaseAddress };

        using var posted = await http.PostAsync("/admin/faults/google", JsonContent.Create(new { kind = "RateLimited", count = 2, retryAfterSeconds = 3, user = "aditi" }));
        using var lasting = await http.PostAsync("/admin/faults/google", JsonContent.Create(new { kind = "Hang" }));

        Assert.Equal(HttpStatusCode.NoContent, posted.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, lasting.StatusCode);
        var faults = emulators.Faults;
        Assert.Equal(FaultKind.Hang, faults.Take("google", "renata")?.Kind);
        Assert.Equal(new Fault(FaultKind.RateLimited, 2, RetryAfterSeconds: 3, User: "aditi"), faults.Take("google", "aditi"));
        Assert.Equal(FaultKind.RateLimited, faults.Take("google", "aditi")?.Kind);
        Assert.Equal(FaultKind.Hang, faults.Take("google", "aditi")?.Kind);
        Assert.Null(faults.Take("notion", "aditi"));

        using var cleared = await http.DeleteAsync("/admin/faults/google");

        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        Assert.Null(faults.Take("google", "aditi"));
    }

    [Fact]
    public async Task AnUnknownFaultKind_IsRefusedAsBadInput()
    {
        await using var emulators = new EmulatorsHost();
        using var http = new HttpClient { BaseAddress = emulators.BaseAddress };

        using var response = await http.PostAsync("/admin/faults/google", JsonContent.Create(new { kind = "Meteor" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(emulators.Faults.Take("google", null));
    }

    [Fact]
    public async Task AQuota_RefusesWhatPassesItsBurst_WithTheProviders429_UntilItRefills()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulators = new EmulatorsHost { ConfigureServices = services => services.AddSingleton<TimeProvider>(time) };
        using var http = new HttpClient { BaseAddress = emulators.BaseAddress };

        using var set = await http.PutAsJsonAsync("/admin/quotas/notion", new Quota(2, 2));
        Assert.Equal(HttpStatusCode.NoContent, set.StatusCode);
        var faults = emulators.Faults;
        Assert.Null(faults.Take("notion", "aditi"));
        Assert.Null(faults.Take("notion", "renata"));
        Assert.Equal(new Fault(FaultKind.RateLimited, RetryAfterSeconds: 1), faults.Take("notion", "aditi"));
        Assert.Null(faults.Take("google", "aditi"));
        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Null(faults.Take("notion", "aditi"));

        Assert.Equal(new QuotaStats(3, 1), await http.GetFromJsonAsync<QuotaStats>("/admin/quotas/notion"));
        using var lifted = await http.DeleteAsync("/admin/quotas/notion");
        Assert.Equal(HttpStatusCode.NoContent, lifted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/admin/quotas/notion")).StatusCode);
        Assert.Null(faults.Take("notion", "aditi"));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-1, 1)]
    [InlineData(1, 0)]
    [InlineData(1e9, 1)]
    public async Task AQuotaThatCannotBe_IsRefusedAsBadInput(double requestsPerSecond, int burst)
    {
        await using var emulators = new EmulatorsHost();
        using var http = new HttpClient { BaseAddress = emulators.BaseAddress };

        using var response = await http.PutAsJsonAsync("/admin/quotas/graph", new Quota(requestsPerSecond, burst));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(emulators.Faults.QuotaOf("graph"));
    }
}
