using System.Net;
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
        // Not UseKestrel(0): that sets the port through IServerAddressesFeature after the app has built its host, which
        // races Kestrel binding on the app's own thread ("Addresses cannot be modified after the server has started").
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
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
