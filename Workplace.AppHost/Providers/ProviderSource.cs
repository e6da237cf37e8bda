using Microsoft.Extensions.Configuration;

namespace Workplace.AppHost.Providers;

/// <summary>Where a provider's API and OAuth endpoints are: absolute for the real provider, paths for Workplace.Emulators.</summary>
public sealed record ProviderEndpoints(string BaseUrl, string AuthorizeUrl, string TokenUrl, string? RevokeUrl);

/// <summary>
/// A source whose documents live at a provider, as connectors configures it (<c>Sources:{Name}</c>): the real provider's
/// endpoints and the scopes the connect flow asks for, and the same endpoints in Workplace.Emulators.
/// </summary>
/// <remarks>
/// The emulator's OAuth client lives in configuration section <see cref="EmulatorClientSection"/> (its Options class);
/// null for an emulator that accepts any client, as the emulated Microsoft identity platform does.
/// </remarks>
public sealed record ProviderSource(string Id, string Name, string Title, ProviderEndpoints Real, ProviderEndpoints Emulated, string Scopes, string? EmulatorClientSection)
{
    // The Microsoft tenant of the authorization URLs: "organizations" serves a multi-tenant app registration.
    public const string DefaultMicrosoftTenant = "organizations";

    public static ProviderSource GoogleDrive { get; } = new("google_drive", "GoogleDrive", "Google Drive",
        new("https://www.googleapis.com/", "https://accounts.google.com/o/oauth2/v2/auth", "https://oauth2.googleapis.com/token", "https://oauth2.googleapis.com/revoke"),
        new("google/", "google/o/oauth2/v2/auth", "google/token", "google/revoke"),
        "https://www.googleapis.com/auth/drive.readonly",
        "Emulators:Google");

    // Notion has no OAuth scopes: a user picks the pages an integration may read on its consent page.
    public static ProviderSource Notion { get; } = new("notion", "Notion", "Notion",
        new("https://api.notion.com/", "https://api.notion.com/v1/oauth/authorize", "https://api.notion.com/v1/oauth/token", "https://api.notion.com/v1/oauth/revoke"),
        new("notion/", "notion/v1/oauth/authorize", "notion/v1/oauth/token", "notion/v1/oauth/revoke"),
        "",
        "Emulators:Notion");

    public static ProviderSource SharePoint { get; } = new("sharepoint", "SharePoint", "SharePoint and OneDrive",
        new("https://graph.microsoft.com/v1.0/",
            $"https://login.microsoftonline.com/{DefaultMicrosoftTenant}/oauth2/v2.0/authorize",
            $"https://login.microsoftonline.com/{DefaultMicrosoftTenant}/oauth2/v2.0/token",
            null),
        new("graph/v1.0/", $"graph/{DefaultMicrosoftTenant}/oauth2/v2.0/authorize", $"graph/{DefaultMicrosoftTenant}/oauth2/v2.0/token", null),
        "offline_access Files.Read.All Sites.Read.All User.Read",
        null);

    public static IReadOnlyList<ProviderSource> All { get; } = [GoogleDrive, Notion, SharePoint];

    /// <summary>The configuration section connectors binds, <c>Sources:{Name}</c>.</summary>
    public string Section => $"Sources:{Name}";

    /// <summary>The environment variable prefix of <see cref="Section"/>, <c>Sources__{Name}__</c>.</summary>
    public string VariablePrefix => $"Sources__{Name}__";

    /// <summary>Whether the AppHost's configuration (environment, user secrets, arguments) names any <c>Sources:{Name}:*</c> setting.</summary>
    // A request budget alone (Sources:{Name}:Budget, which bench/run.sh raises for the emulators) says how hard to use a
    // provider, not where it is: the provider is still emulated.
    public bool IsConfigured(IConfiguration configuration) =>
        configuration.GetSection(Section).GetChildren().Any(setting => !string.Equals(setting.Key, "Budget", StringComparison.OrdinalIgnoreCase));

    /// <summary>The name of a deployment parameter of this source, e.g. <c>google-drive-client-secret</c>.</summary>
    public string Parameter(string setting) => $"{Id.Replace('_', '-')}-{setting}";
}
