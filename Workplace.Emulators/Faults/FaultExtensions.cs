using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Workplace.Emulators.Faults;

public static class FaultExtensions
{
    public static IHostApplicationBuilder AddFaults(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<FaultRegistry>();
        return builder;
    }

    /// <summary>
    /// <c>POST /admin/faults/{provider}</c> with a <see cref="Fault"/> adds one; <c>DELETE /admin/faults/{provider}</c>
    /// clears them. <c>PUT /admin/quotas/{provider}</c> with a <see cref="Quota"/> enforces the provider's rate limit,
    /// <c>GET</c> answers its <see cref="QuotaStats"/>, <c>DELETE</c> lifts it. Providers: <c>google</c>, <c>notion</c>, <c>graph</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapFaultAdmin(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/admin/faults/{provider}");
        admin.MapPost("", (string provider, Fault fault, FaultRegistry faults) =>
        {
            faults.Add(provider, fault);
            return TypedResults.NoContent();
        });
        admin.MapDelete("", (string provider, FaultRegistry faults) =>
        {
            faults.Clear(provider);
            return TypedResults.NoContent();
        });
        var quotas = endpoints.MapGroup("/admin/quotas/{provider}");
        quotas.MapPut("", Results<NoContent, ProblemHttpResult> (string provider, Quota quota, FaultRegistry faults) =>
        {
            if (quota.RequestsPerSecond is <= 0 or > 100_000 || quota.Burst is < 1 or > 100_000)
            {
                return TypedResults.Problem("requestsPerSecond is above 0 and burst at least 1 (both at most 100000).", statusCode: StatusCodes.Status400BadRequest);
            }
            faults.SetQuota(provider, quota);
            return TypedResults.NoContent();
        });
        quotas.MapGet("", Results<Ok<QuotaStats>, NotFound> (string provider, FaultRegistry faults) =>
            faults.QuotaOf(provider) is { } stats ? TypedResults.Ok(stats) : TypedResults.NotFound());
        quotas.MapDelete("", (string provider, FaultRegistry faults) =>
        {
            faults.ClearQuota(provider);
            return TypedResults.NoContent();
        });
        return endpoints;
    }
}
