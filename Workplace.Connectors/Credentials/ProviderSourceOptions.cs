namespace Workplace.Connectors.Credentials;

/// <summary>
/// What every provider source binds from `Sources:{Name}` (GoogleDrive, Notion, SharePoint): where the provider is,
/// and where its users' tokens come from. A source is served when <see cref="IsConfigured"/>.
/// </summary>
public sealed class ProviderSourceOptions
{
    public const string Connect = "connect";
    public const string Descope = "descope";
    public const string Delegation = "delegation";

    /// <summary>The provider's API root: https://www.googleapis.com/, https://api.notion.com/, https://graph.microsoft.com/v1.0/.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>True when <see cref="BaseUrl"/> is Workplace.Emulators: list_sources says so.</summary>
    public bool Emulated { get; set; }

    /// <summary>connect (default), descope or delegation.</summary>
    public string TokenSource { get; set; } = Connect;

    public OAuthClientOptions OAuth { get; set; } = new();

    public bool IsConfigured => BaseUrl is not null && (TokenSource != Connect || !string.IsNullOrEmpty(OAuth.ClientId));
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
}
