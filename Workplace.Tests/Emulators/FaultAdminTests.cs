using System.Net;
using System.Net.Http.Json;
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
}
