using Microsoft.Extensions.Configuration;

namespace Workplace.AppHost.Providers;

/// <summary>Where a provider's API and OAuth endpoints are in Workplace.Emulators, as paths under its address.</summary>
public sealed record ProviderEndpoints(string BaseUrl, string AuthorizeUrl, string TokenUrl, string? RevokeUrl);

/// <summary>
/// A source whose documents live at a provider, as connectors configures it (<c>Sources:{Name}</c>): the real provider's
/// API root, which turns the source on, and the provider's endpoints in Workplace.Emulators. The real provider's OAuth
/// endpoints and scopes are connectors' own defaults (Credentials/OAuth), written there only.
/// </summary>
/// <remarks>
/// The emulator's OAuth client lives in configuration section <see cref="EmulatorClientSection"/> (its Options class);
/// null for an emulator that accepts any client, as the emulated Microsoft identity platform does.
/// </remarks>
public sealed record ProviderSource(string Id, string Name, string Title, string RealBaseUrl, ProviderEndpoints Emulated, string? EmulatorClientSection)
{
    // The Microsoft tenant of the authorization URLs: "organizations" serves a multi-tenant app registration.
    public const string DefaultMicrosoftTenant = "organizations";

    public static ProviderSource GoogleDrive { get; } = new("google_drive", "GoogleDrive", "Google Drive",
        "https://www.googleapis.com/",
        new("google/", "google/o/oauth2/v2/auth", "google/token", "google/revoke"),
        "Emulators:Google");

    public static ProviderSource Notion { get; } = new("notion", "Notion", "Notion",
        "https://api.notion.com/",
        new("notion/", "notion/v1/oauth/authorize", "notion/v1/oauth/token", "notion/v1/oauth/revoke"),
        "Emulators:Notion");

    public static ProviderSource SharePoint { get; } = new("sharepoint", "SharePoint", "SharePoint and OneDrive",
        "https://graph.microsoft.com/v1.0/",
        new("graph/v1.0/", $"graph/{DefaultMicrosoftTenant}/oauth2/v2.0/authorize", $"graph/{DefaultMicrosoftTenant}/oauth2/v2.0/token", null),
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
