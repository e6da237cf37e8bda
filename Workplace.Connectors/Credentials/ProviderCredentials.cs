namespace Workplace.Connectors.Credentials;

/// <summary>A provider source whose users' tokens this service holds or fetches: what the connections API lists.</summary>
public sealed record ProviderCredentials(string Source, string Name, string Title);
