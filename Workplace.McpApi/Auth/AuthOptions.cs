namespace Workplace.McpApi.Auth;

/// <summary>
/// Configuration section <c>Auth</c> (environment: <c>Auth__Name</c>), plus the unprefixed Descope variables
/// <c>DESCOPE_PROJECT_ID</c> and <c>DESCOPE_MCP_SERVER_ID</c>. Exactly one issuer mode is used:
/// Descope (project id), any OIDC issuer (<see cref="Authority"/>), or a development key (<see cref="DevSigningKey"/>).
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";
    public const string DescopeProjectIdVariable = "DESCOPE_PROJECT_ID";
    public const string DescopeMcpServerIdVariable = "DESCOPE_MCP_SERVER_ID";

    /// <summary>
    /// This server's public URL. A bare origin (<c>https://host</c>) means the canonical resource <c>https://host/mcp</c>;
    /// a URL with a path is taken as the canonical resource itself (RFC 8707: no query, no fragment).
    /// </summary>
    public string? Resource { get; set; }

    /// <summary>The audience tokens must carry; defaults to the canonical resource URI.</summary>
    public string? Audience { get; set; }

    /// <summary>More accepted audiences, for issuers that still mint older audiences during a migration.</summary>
    public IList<string> AdditionalAudiences { get; } = [];

    /// <summary>Any OIDC issuer: discovery is read from <c>{Authority}/.well-known/openid-configuration</c>.</summary>
    public string? Authority { get; set; }

    /// <summary>Overrides the discovery document address derived from the authority or the Descope project.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>More accepted issuers besides the derived one (the discovery document's own issuer is always accepted).</summary>
    public IList<string> Issuers { get; } = [];

    public string? DescopeProjectId { get; set; }

    public string? DescopeMcpServerId { get; set; }

    /// <summary>Descope's API origin; tests point it at a local issuer emulator.</summary>
    public string DescopeBaseUrl { get; set; } = "https://api.descope.com";

    /// <summary>An extra claim that carries scopes (besides <c>scope</c> and <c>scp</c>), e.g. Descope's <c>permissions</c>.</summary>
    public string? ScopeClaim { get; set; }

    /// <summary>Development only: the PEM public key of the AppHost's development signing key (issuer <c>workplace-dev</c>).</summary>
    public string? DevSigningKey { get; set; }

    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The least time between two key refreshes triggered by an unknown <c>kid</c> (the rate limit on refreshes).</summary>
    public TimeSpan KeyRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often discovery and JWKS are re-read even when every key is known.</summary>
    public TimeSpan MetadataRefreshInterval { get; set; } = TimeSpan.FromHours(1);

    public string ResourceName { get; set; } = "Workplace";

    public RateLimitOptions RateLimit { get; } = new();
}

/// <summary>Section <c>Auth:RateLimit</c>: token buckets, per user and for the whole deployment.</summary>
public sealed class RateLimitOptions
{
    public bool Enabled { get; set; } = true;

    public double UserRequestsPerMinute { get; set; } = 120;

    public int UserBurst { get; set; } = 30;

    public double GlobalRequestsPerSecond { get; set; } = 200;

    public int GlobalBurst { get; set; } = 400;
}
