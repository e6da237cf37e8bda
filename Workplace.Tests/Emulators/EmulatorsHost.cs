using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workplace.Emulators;
using Workplace.Emulators.Faults;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Emulators;

/// <summary>The real Workplace.Emulators app on loopback Kestrel (port 0), as the AppHost runs it.</summary>
public sealed class EmulatorsHost : WebApplicationFactory<EmulatorsAssembly>
{
    public EmulatorsHost()
    {
        UseKestrel(0);
    }

    /// <summary>The base address, e.g. <c>http://127.0.0.1:41234/</c>; every provider lives under its own path below it.</summary>
    public Uri BaseAddress
    {
        get
        {
            StartServer();
            return KestrelAddress.Of(Services);
        }
    }

    public FaultRegistry Faults => Services.GetRequiredService<FaultRegistry>();

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
}
