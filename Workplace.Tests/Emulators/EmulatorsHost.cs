using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
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
        // An explicit listener: UseKestrel(0) rewrites the server's addresses after the app's own app.Run() may have
        // started it, which fails under load ("Addresses cannot be modified after the server has started").
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

    /// <summary>Replaces services of the app, e.g. its TimeProvider with a FakeTimeProvider (set before the first use).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    public FaultRegistry Faults => Services.GetRequiredService<FaultRegistry>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        if (ConfigureServices is { } configure)
        {
            builder.ConfigureTestServices(configure);
        }
    }
}
