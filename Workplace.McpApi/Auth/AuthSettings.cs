using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using Workplace.McpApi.Sources;

namespace Workplace.McpApi.Auth;

public enum IssuerMode
{
    Descope,
    Authority,
    DevKey,
}

/// <summary>
/// <see cref="AuthOptions"/> resolved once at start: which issuer, which addresses, which audiences. Every rule that
/// can refuse a configuration lives in <see cref="Resolve"/>, so the start-up validator and the runtime agree.
/// </summary>
public sealed class AuthSettings
{
    public const string DevIssuer = "workplace-dev";
    public const string ProtectedResourcePath = "/.well-known/oauth-protected-resource";

    private AuthSettings()
    {
    }

    public required IssuerMode Mode { get; init; }

    /// <summary>The canonical resource URI (RFC 8707), e.g. <c>https://host/mcp</c>.</summary>
    public required string Resource { get; init; }

    /// <summary>RFC 9728 §3.1: the metadata URL with the well-known segment inserted before the resource's path.</summary>
    public required string ResourceMetadataUrl { get; init; }

    public required IReadOnlyList<string> Audiences { get; init; }

    public required IReadOnlyList<string> Issuers { get; init; }

    /// <summary>What the protected resource metadata lists; empty with a development key (there is no server to sign in at).</summary>
    public required IReadOnlyList<string> AuthorizationServers { get; init; }

    /// <summary>The OIDC discovery document; null with a development key.</summary>
    public string? MetadataAddress { get; init; }

    public bool RequireHttpsMetadata { get; init; } = true;

    public SecurityKey? DevSigningKey { get; init; }

    public required IReadOnlyList<string> ScopeClaims { get; init; }

    public required AuthOptions Options { get; init; }

    /// <summary>The scopes a client asks for to use this server: one per source.</summary>
    public static IReadOnlyList<string> ReadScopes { get; } = [.. SourceIds.All.Select(SourceIds.ReadScope)];

    public static (AuthSettings? Settings, IReadOnlyList<string> Errors) Resolve(AuthOptions options, IHostEnvironment environment, IConfiguration configuration)
    {
        var errors = new List<string>();
        var development = environment.IsDevelopment();

        var resource = CanonicalResource(options.Resource, development, errors);

        var descope = !string.IsNullOrWhiteSpace(options.DescopeProjectId);
        var authority = !string.IsNullOrWhiteSpace(options.Authority);
        var devKey = !string.IsNullOrWhiteSpace(options.DevSigningKey) && !descope && !authority;

        if (descope && authority)
        {
            errors.Add($"Both {AuthOptions.DescopeProjectIdVariable} and Auth:Authority are set. Set one: {AuthOptions.DescopeProjectIdVariable} for Descope, Auth__Authority for any other OIDC issuer.");
        }
        if (!descope && !authority && !devKey)
        {
            errors.Add($"No token issuer is configured. Set {AuthOptions.DescopeProjectIdVariable} (Descope), or Auth__Authority (any OIDC issuer); for local use start the AppHost, which configures a development key.");
        }
        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > TimeSpan.FromMinutes(5))
        {
            errors.Add($"Auth:ClockSkew is {options.ClockSkew}; use a value between 00:00:00 and 00:05:00 (default 00:00:30).");
        }
        if (options.KeyRefreshInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add($"Auth:KeyRefreshInterval is {options.KeyRefreshInterval}; it must be at least 00:00:01 (default 00:01:00).");
        }
        if (options.MetadataRefreshInterval < TimeSpan.FromMinutes(5))
        {
            errors.Add($"Auth:MetadataRefreshInterval is {options.MetadataRefreshInterval}; it must be at least 00:05:00 (default 01:00:00).");
        }
        ValidateRateLimit(options.RateLimit, errors);

        string? metadata = null;
        List<string> issuers = [];
        List<string> authorizationServers = [];
        SecurityKey? key = null;
        var mode = IssuerMode.Authority;
        if (descope && !authority)
        {
            mode = IssuerMode.Descope;
            var baseUrl = options.DescopeBaseUrl.TrimEnd('/');
            var project = options.DescopeProjectId!.Trim();
            var projectIssuer = $"{baseUrl}/v1/apps/{project}";
            // A Descope MCP server is its own authorization server (the only one with dynamic client registration);
            // tokens from the project's generic issuer stay valid when they carry this server's audience.
            var primary = string.IsNullOrWhiteSpace(options.DescopeMcpServerId)
                ? projectIssuer
                : $"{baseUrl}/v1/apps/agentic/{project}/{options.DescopeMcpServerId.Trim()}";
            issuers.Add(primary);
            if (primary != projectIssuer)
            {
                issuers.Add(projectIssuer);
            }
            authorizationServers.Add(primary);
            metadata = options.MetadataAddress ?? $"{primary}/.well-known/openid-configuration";
            CheckMetadataUri("Auth:DescopeBaseUrl", baseUrl, development, errors);
        }
        else if (authority)
        {
            var trimmed = options.Authority!.Trim().TrimEnd('/');
            issuers.Add(trimmed);
            authorizationServers.Add(trimmed);
            metadata = options.MetadataAddress ?? $"{trimmed}/.well-known/openid-configuration";
            CheckMetadataUri("Auth:Authority", trimmed, development, errors);
        }
        else if (devKey)
        {
            mode = IssuerMode.DevKey;
            issuers.Add(DevIssuer);
            key = ImportDevKey(options.DevSigningKey!, errors);
            CheckDevKeyHost(environment, configuration, errors);
        }
        if (options.MetadataAddress is not null)
        {
            CheckMetadataUri("Auth:MetadataAddress", options.MetadataAddress, development, errors);
        }
        issuers.AddRange(options.Issuers.Where(i => !string.IsNullOrWhiteSpace(i) && !issuers.Contains(i)));

        if (errors.Count > 0 || resource is null)
        {
            return (null, errors);
        }

        var audiences = new List<string> { string.IsNullOrWhiteSpace(options.Audience) ? resource : options.Audience.Trim() };
        audiences.AddRange(options.AdditionalAudiences.Where(a => !string.IsNullOrWhiteSpace(a)));
        var resourceUri = new Uri(resource);
        List<string> scopeClaims = ["scope", "scp"];
        if (!string.IsNullOrWhiteSpace(options.ScopeClaim) && !scopeClaims.Contains(options.ScopeClaim))
        {
            scopeClaims.Add(options.ScopeClaim.Trim());
        }

        return (new AuthSettings
        {
            Mode = mode,
            Resource = resource,
            ResourceMetadataUrl = resourceUri.GetLeftPart(UriPartial.Authority) + ProtectedResourcePath + resourceUri.AbsolutePath.TrimEnd('/'),
            Audiences = audiences,
            Issuers = issuers,
            AuthorizationServers = authorizationServers,
            MetadataAddress = metadata,
            // Validated above: http is only ever accepted in Development for a loopback host.
            RequireHttpsMetadata = metadata is null || new Uri(metadata).Scheme == Uri.UriSchemeHttps,
            DevSigningKey = key,
            ScopeClaims = scopeClaims,
            Options = options,
        }, errors);
    }

    public static bool IsLoopbackHost(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static string? CanonicalResource(string? configured, bool development, List<string> errors)
    {
        const string Example = "for example Auth__Resource=https://workplace.example.com (the public URL MCP clients use)";
        if (string.IsNullOrWhiteSpace(configured))
        {
            errors.Add($"Auth:Resource is not set: tokens are checked against this server's canonical URI, so it must be configured ({Example}).");
            return null;
        }
        if (!Uri.TryCreate(configured.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"Auth:Resource '{configured}' is not an absolute http(s) URL ({Example}).");
            return null;
        }
        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            errors.Add($"Auth:Resource '{configured}' has a query or fragment; RFC 8707 resource URIs have neither.");
            return null;
        }
        if (uri.Scheme == Uri.UriSchemeHttp && !(development && IsLoopbackHost(uri.Host)))
        {
            errors.Add($"Auth:Resource '{configured}' uses http; use https (http is accepted only in Development on a loopback host).");
            return null;
        }
        // Uri lower-cases scheme and host; the path keeps its case. No trailing slash (the MCP spec's canonical form).
        var path = uri.AbsolutePath.TrimEnd('/');
        return uri.GetLeftPart(UriPartial.Authority) + (path.Length == 0 ? "/mcp" : path);
    }

    private static void CheckMetadataUri(string name, string value, bool development, List<string> errors)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"{name} '{value}' is not an absolute http(s) URL.");
        }
        else if (uri.Scheme == Uri.UriSchemeHttp && !(development && IsLoopbackHost(uri.Host)))
        {
            errors.Add($"{name} '{value}' uses http; use https (http is accepted only in Development on a loopback host, for local issuers and tests).");
        }
    }

    private static RsaSecurityKey? ImportDevKey(string pem, List<string> errors)
    {
        try
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return new RsaSecurityKey(rsa);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            errors.Add("Auth:DevSigningKey is not a PEM RSA public key. Let the AppHost set it, or unset it and configure a real issuer.");
            return null;
        }
    }

    // The development key signs tokens anyone on the machine can mint from the AppHost's output, so it must never
    // face a network. The addresses actually bound are checked again once Kestrel listens (DevKeyListenGuard).
    private static void CheckDevKeyHost(IHostEnvironment environment, IConfiguration configuration, List<string> errors)
    {
        if (!environment.IsDevelopment())
        {
            errors.Add($"Auth:DevSigningKey is set but the environment is '{environment.EnvironmentName}'. The development key works only with ASPNETCORE_ENVIRONMENT=Development; elsewhere set {AuthOptions.DescopeProjectIdVariable} or Auth__Authority.");
        }
        foreach (var address in ListenAddresses(configuration))
        {
            if (!IsLoopbackAddress(address))
            {
                errors.Add($"Auth:DevSigningKey is set but the server is configured to listen on '{address}', which is not loopback. Listen on http://127.0.0.1:<port> or http://localhost:<port> only, or configure a real issuer ({AuthOptions.DescopeProjectIdVariable} or Auth__Authority).");
            }
        }
    }

    public static bool IsLoopbackAddress(string address)
    {
        // Kestrel accepts "*" and "+" as wildcard hosts, which Uri does not parse.
        var normalized = address.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        return Uri.TryCreate(normalized, UriKind.Absolute, out var uri) && IsLoopbackHost(uri.Host);
    }

    private static IEnumerable<string> ListenAddresses(IConfiguration configuration)
    {
        foreach (var url in (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return url;
        }
        // HTTP_PORTS / HTTPS_PORTS bind every interface.
        foreach (var key in (string[])["http_ports", "https_ports"])
        {
            foreach (var port in (configuration[key] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                yield return string.Create(CultureInfo.InvariantCulture, $"http://*:{port}");
            }
        }
        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (endpoint["Url"] is { Length: > 0 } url)
            {
                yield return url;
            }
        }
    }

    private static void ValidateRateLimit(RateLimitOptions limits, List<string> errors)
    {
        if (!limits.Enabled)
        {
            return;
        }
        if (limits.UserRequestsPerMinute <= 0 || limits.UserBurst < 1)
        {
            errors.Add("Auth:RateLimit:UserRequestsPerMinute must be > 0 and Auth:RateLimit:UserBurst >= 1 (or set Auth:RateLimit:Enabled=false).");
        }
        if (limits.GlobalRequestsPerSecond <= 0 || limits.GlobalBurst < 1)
        {
            errors.Add("Auth:RateLimit:GlobalRequestsPerSecond must be > 0 and Auth:RateLimit:GlobalBurst >= 1 (or set Auth:RateLimit:Enabled=false).");
        }
    }
}
