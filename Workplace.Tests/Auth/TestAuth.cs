using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Workplace.AppHost.Auth;

namespace Workplace.Tests.Auth;

/// <summary>
/// Authentication for tests whose subject is not authentication: mcpapi trusts a development key (as under the
/// AppHost) and clients carry tokens signed with it. Needs the Development environment (WebApplicationFactory's
/// default) and loopback listening.
/// </summary>
public sealed class TestAuth : IDisposable
{
    /// <summary>The canonical resource the tokens are issued for; any loopback URL does, the port need not match.</summary>
    public const string Resource = "http://127.0.0.1/mcp";

    private readonly DevAuthority _authority = new();

    /// <summary>Settings for mcpapi: trust this key; per-user rate limits off unless <paramref name="rateLimits"/>.</summary>
    public Dictionary<string, string?> Settings(bool rateLimits = false) => new()
    {
        ["Auth:DevSigningKey"] = _authority.PublicKeyPem,
        ["Auth:Resource"] = Resource,
        ["Auth:RateLimit:Enabled"] = rateLimits ? "true" : "false",
    };

    /// <summary>Applies <see cref="Settings"/> to a WebApplicationFactory's builder.</summary>
    public void Apply(IWebHostBuilder builder, bool rateLimits = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var (key, value) in Settings(rateLimits))
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A token for <paramref name="subject"/> with <paramref name="scopes"/> (default: every read scope).</summary>
    public string Token(string subject = "test-user", IEnumerable<string>? scopes = null) =>
        _authority.CreateToken(Resource, subject, scopes ?? DevAuthority.ReadScopes, TimeSpan.FromHours(1));

    /// <summary>An HttpClient that sends <see cref="Token"/> on every request.</summary>
    public HttpClient CreateClient(Uri? baseAddress = null, string subject = "test-user", IEnumerable<string>? scopes = null)
    {
        var client = new HttpClient { BaseAddress = baseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(subject, scopes));
        return client;
    }

    public void Dispose() => _authority.Dispose();
}
