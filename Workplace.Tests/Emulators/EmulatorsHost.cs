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
    // The factory finds the app's host by listening to every host built in the process: two hosts starting at once
    // can each catch the other's ("Addresses cannot be modified after the server has started"), so they start in turn.
    private static readonly Lock StartLock = new();

    public EmulatorsHost()
    {
        UseKestrel(0);
    }

    /// <summary>The base address, e.g. <c>http://127.0.0.1:41234/</c>; every provider lives under its own path below it.</summary>
    public Uri BaseAddress
    {
        get
        {
            lock (StartLock)
            {
                StartServer();
            }
            return KestrelAddress.Of(Services);
        }
    }

    public FaultRegistry Faults => Services.GetRequiredService<FaultRegistry>();

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
}
