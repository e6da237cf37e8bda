using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Workplace.Tests.Infrastructure;

/// <summary>Where a started Kestrel server listens: every test server binds port 0, so only the server knows which port it got.</summary>
public static class KestrelAddress
{
    public static Uri Of(IServiceProvider services) =>
        new(services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
}
