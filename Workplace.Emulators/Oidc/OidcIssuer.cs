using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Workplace.Emulators.Oidc;

/// <summary>
/// An OIDC issuer on a loopback port of its own, for tests that stand one up in process: discovery at
/// <c>{Issuer}/.well-known/openid-configuration</c>, a JWKS with RSA and EC keys, key rotation on demand, and tokens minted
/// with any claims and any of the flaws a resource server must refuse. The Emulators app serves the same issuer under
/// <c>/oidc</c> (<see cref="OidcEmulator"/>).
/// </summary>
public sealed class OidcIssuer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly OidcKeys _keys;
    private int _jwksRequests;
    private int _discoveryRequests;

    private OidcIssuer(WebApplication app, OidcKeys keys, string issuer, string defaultAudience)
    {
        _app = app;
        _keys = keys;
        Issuer = issuer;
        DefaultAudience = defaultAudience;
    }

    /// <summary>The <c>iss</c> of minted tokens and the base of the discovery address.</summary>
    public string Issuer { get; }

    public string Origin => new Uri(Issuer).GetLeftPart(UriPartial.Authority);

    public string DefaultAudience { get; }

    public string DiscoveryUrl => Issuer + "/.well-known/openid-configuration";

    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    public int DiscoveryRequests => Volatile.Read(ref _discoveryRequests);

    /// <summary>The current RSA key's id.</summary>
    public string CurrentKeyId => _keys.CurrentKeyId;

    /// <summary>Starts on a free loopback port; <paramref name="issuerPath"/> (e.g. <c>/v1/apps/P2abc</c>) is appended to its origin.</summary>
    public static async Task<OidcIssuer> StartAsync(string defaultAudience, string issuerPath = "")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var keys = new OidcKeys();
        // The issuer's address is its port, known only once the server is up: the routes read the issuer when called, not now.
        OidcIssuer? issuer = null;
        app.MapGet(issuerPath + "/.well-known/openid-configuration", () =>
        {
            Interlocked.Increment(ref issuer!._discoveryRequests);
            return Results.Text(OidcKeys.Discovery(issuer.Issuer, issuer.Origin + "/jwks.json").ToJsonString(), "application/json");
        });
        app.MapGet("/jwks.json", () =>
        {
            Interlocked.Increment(ref issuer!._jwksRequests);
            return Results.Text(keys.Jwks().ToJsonString(), "application/json");
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        issuer = new OidcIssuer(app, keys, address.GetLeftPart(UriPartial.Authority) + issuerPath, defaultAudience);
        return issuer;
    }

    /// <inheritdoc cref="OidcKeys.RotateKey"/>
    public void RotateKey(bool keepOldKey = false) => _keys.RotateKey(keepOldKey);

    public string Mint(TokenSpec? spec = null) => _keys.Mint(Issuer, DefaultAudience, spec);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
