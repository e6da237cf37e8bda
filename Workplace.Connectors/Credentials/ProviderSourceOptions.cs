namespace Workplace.Connectors.Credentials;

/// <summary>
/// What every provider source binds from `Sources:{Name}` (GoogleDrive, Notion, SharePoint): where the provider is,
/// and where its users' tokens come from. A source is served when <see cref="IsConfigured"/>.
/// </summary>
public sealed class ProviderSourceOptions
{
    /// <summary>The provider's API root: https://www.googleapis.com/, https://api.notion.com/, https://graph.microsoft.com/v1.0/.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>True when <see cref="BaseUrl"/> is Workplace.Emulators: list_sources says so.</summary>
    public bool Emulated { get; set; }

    /// <summary>connect (default), descope or delegation.</summary>
    public string TokenSource { get; set; } = TokenSourceKinds.Connect;

    public OAuthClientOptions OAuth { get; set; } = new();

    public DescopeOutboundOptions Descope { get; set; } = new();

    public DelegationOptions Delegation { get; set; } = new();

    public bool IsConfigured => BaseUrl is not null && TokenSource switch
    {
        TokenSourceKinds.Connect => !string.IsNullOrEmpty(OAuth.ClientId),
        TokenSourceKinds.Descope => Descope.IsConfigured,
        TokenSourceKinds.Delegation => Delegation.IsConfigured,
        _ => true,
    };
}

/// <summary>The values of <c>Sources:{Name}:TokenSource</c>, and what <see cref="ITokenSource.Kind"/> reports.</summary>
public static class TokenSourceKinds
{
    public const string Connect = "connect";
    public const string Descope = "descope";
    public const string Delegation = "delegation";
}

/// <summary>Descope Outbound Apps: Descope holds each user's provider token; connectors fetch it with a management key.</summary>
public sealed class DescopeOutboundOptions
{
    /// <summary>Descope's API root; https://api.descope.com/ unless a region or the emulator says otherwise.</summary>
    public Uri BaseUrl { get; set; } = new("https://api.descope.com/");

    public string? ProjectId { get; set; }

    public string? ManagementKey { get; set; }

    /// <summary>The outbound app's id in the Descope console, e.g. google-drive.</summary>
    public string? AppId { get; set; }

    public bool IsConfigured => !string.IsNullOrEmpty(ProjectId) && !string.IsNullOrEmpty(ManagementKey) && !string.IsNullOrEmpty(AppId);
}

/// <summary>Google domain-wide delegation: a service account acts as each user's email.</summary>
public sealed class DelegationOptions
{
    /// <summary>The service account's JSON key file.</summary>
    public string? CredentialsFile { get; set; }

    /// <summary>The same key inline, for secrets stores that hold values rather than files.</summary>
    public string? CredentialsJson { get; set; }

    /// <summary>Space-separated; the Drive read-only scope when not set.</summary>
    public string? Scopes { get; set; }

    /// <summary>Where the service account's assertion is exchanged: https://oauth2.googleapis.com/token unless set (the emulator's).</summary>
    public Uri? TokenUrl { get; set; }

    public bool IsConfigured => !string.IsNullOrEmpty(CredentialsFile) || !string.IsNullOrEmpty(CredentialsJson);
}

/// <summary>
/// The OAuth client the connect flow uses with the provider. The URLs default to the real provider's
/// (accounts.google.com, api.notion.com, login.microsoftonline.com/organizations); the scopes to read-only access.
/// </summary>
public sealed class OAuthClientOptions
{
    public Uri? AuthorizeUrl { get; set; }

    public Uri? TokenUrl { get; set; }

    public Uri? RevokeUrl { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>Space-separated, as the provider's authorize endpoint takes them.</summary>
    public string? Scopes { get; set; }

    /// <summary>
    /// The Microsoft identity platform's tenant in its default URLs: <c>organizations</c> (any work or school account,
    /// the default), or a single-tenant app's tenant id or domain. Other providers have none.
    /// </summary>
    public string? Tenant { get; set; }
}
