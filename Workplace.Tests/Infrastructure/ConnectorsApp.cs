using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workplace.Connectors.Sources;

namespace Workplace.Tests.Infrastructure;

/// <summary>
/// The real Connectors app on a free loopback port, serving a folder with an internal signing key. The entry point type
/// comes from the Connectors assembly: the test project also references McpApi, so `Program` is ambiguous.
/// </summary>
public sealed class ConnectorsApp : IAsyncDisposable
{
    private readonly WebApplicationFactory<SourceRegistry> _factory;

    private ConnectorsApp(WebApplicationFactory<SourceRegistry> factory)
    {
        _factory = factory;
        BaseAddress = KestrelAddress.Of(factory.Services);
    }

    public Uri BaseAddress { get; }

    /// <summary>The app's services, e.g. its GrantVault to store a grant an emulator issued.</summary>
    public IServiceProvider Services => _factory.Services;

    /// <summary>Starts the app on <paramref name="root"/>; <paramref name="settings"/> are added to (or override) the defaults here.</summary>
    public static ConnectorsApp Start(string root, string signingKey, params (string Key, string? Value)[] settings) =>
        Start(root, signingKey, _ => { }, settings);

    /// <summary>As above, with more sources (an <see cref="IDocumentSource"/> that fails on purpose) registered beside the app's own.</summary>
    public static ConnectorsApp Start(string root, string signingKey, Action<IServiceCollection> services, params (string Key, string? Value)[] settings)
    {
        var factory = new WebApplicationFactory<SourceRegistry>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Internal:SigningKey", signingKey);
            web.UseSetting("Sources:Files:Root", root);
            // Tests write a file and then search for it: a short debounce keeps that wait short.
            web.UseSetting("Sources:Files:Debounce", "00:00:00.100");
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }
            web.ConfigureServices(services);
        });
        // An explicit loopback listener on a free port: UseKestrel(0) does not reach a WithWebHostBuilder factory (the
        // port is applied by the parent's host creation), which then binds the default :5000 and collides with other instances.
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        return new ConnectorsApp(factory);
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();
}
