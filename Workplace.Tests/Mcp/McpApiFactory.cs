using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Workplace.McpApi;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Mcp;

/// <summary>
/// The real McpApi app on loopback Kestrel (port 0). <see cref="ConnectorsUrl"/> is where it looks for connectors;
/// by default a loopback port nothing listens on, so tests that need no connector data stay independent of it.
/// </summary>
public class McpApiFactory : WebApplicationFactory<McpApiAssembly>
{
    public McpApiFactory()
    {
        // An explicit loopback listener: UseKestrel(0) fails intermittently under load (see McpApiHost.Client).
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
    }

    public Workplace.Tests.Auth.TestAuth Auth { get; } = new();

    public virtual string ConnectorsUrl => "http://127.0.0.1:9";

    public virtual string SigningKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The base address the server listens on, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseAddress
    {
        get
        {
            StartServer();
            return KestrelAddress.Of(Services);
        }
    }

    public Uri McpUrl => new(BaseAddress, "/mcp");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Auth.Apply(builder);
        builder.UseSetting("services:connectors:http:0", ConnectorsUrl);
        builder.UseSetting("Internal:SigningKey", SigningKey);
        builder.UseSetting("Mcp:MaxRequestBodyBytes", "65536");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        ConfigureTestHost(builder);
    }

    protected virtual void ConfigureTestHost(IWebHostBuilder builder)
    {
    }
}
