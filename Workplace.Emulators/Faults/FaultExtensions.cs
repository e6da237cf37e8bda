namespace Workplace.Emulators.Faults;

public static class FaultExtensions
{
    public static IHostApplicationBuilder AddFaults(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<FaultRegistry>();
        return builder;
    }

    /// <summary>
    /// <c>POST /admin/faults/{provider}</c> with a <see cref="Fault"/> adds one; <c>DELETE /admin/faults/{provider}</c>
    /// clears them. Providers: <c>google</c>, <c>notion</c>, <c>graph</c>.
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
        return endpoints;
    }
}
