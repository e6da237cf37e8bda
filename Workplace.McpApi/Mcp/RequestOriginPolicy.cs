using System.Net;
using Microsoft.Extensions.Options;

namespace Workplace.McpApi.Mcp;

/// <summary>
/// DNS-rebinding protection for endpoints an agent reaches over HTTP: a page on a hostile site can make a browser
/// send requests to a loopback server under the hostile host name, so both Host and Origin are checked.
/// </summary>
public sealed class RequestOriginPolicy(IOptionsMonitor<McpEndpointOptions> options, IConfiguration configuration)
{
    private static readonly string[] s_loopbackHosts = ["localhost", "127.0.0.1", "::1", "[::1]"];

    // A deployment is called by the host of its public URL, which Auth:Resource already names: with no
    // Mcp:AllowedHosts, that host is served too, so `azd up` needs no second setting naming the same host.
    private readonly string? _resourceHost =
        Uri.TryCreate(configuration["Auth:Resource"], UriKind.Absolute, out var resource) ? resource.Host : null;

    /// <returns>Null when the request may proceed; otherwise what is wrong and how to fix it.</returns>
    public string? Check(HttpRequest request)
    {
        var settings = options.CurrentValue;
        var host = request.Host.Host;
        if (!IsAllowedHost(host, settings))
        {
            return $"Host '{host}' is not served here. Call this server by a configured host name (Mcp:AllowedHosts; by default loopback names and the host of Auth:Resource).";
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0 || IsAllowedOrigin(origin, request, settings))
        {
            return null;
        }
        return $"Origin '{origin}' is not allowed. Browser clients must be served from a loopback origin, this server's own origin, or an origin listed in Mcp:AllowedOrigins.";
    }

    private bool IsAllowedHost(string host, McpEndpointOptions settings)
    {
        if (settings.AllowedHosts.Count == 0)
        {
            return s_loopbackHosts.Contains(host, StringComparer.OrdinalIgnoreCase)
                || string.Equals(host, _resourceHost, StringComparison.OrdinalIgnoreCase);
        }
        return settings.AllowedHosts.Any(h => h == "*" || string.Equals(h, host, StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsAllowedOrigin(string origin, HttpRequest request, McpEndpointOptions settings)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri))
        {
            return false;
        }
        if (uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var address) && IPAddress.IsLoopback(address)))
        {
            return true;
        }
        var normalized = origin.TrimEnd('/');
        if (string.Equals(normalized, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return settings.AllowedOrigins.Any(o => string.Equals(o.TrimEnd('/'), normalized, StringComparison.OrdinalIgnoreCase));
    }
}
