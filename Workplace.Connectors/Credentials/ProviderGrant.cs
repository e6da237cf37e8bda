namespace Workplace.Connectors.Credentials;

/// <summary>
/// One user's grant for one provider, as the provider's token endpoint issued it. <see cref="ExpiresAt"/> is null when
/// the provider does not say (Notion's tokens do not expire unless revoked).
/// </summary>
public sealed record ProviderGrant(string AccessToken, string? RefreshToken, DateTimeOffset? ExpiresAt, string? Scope);
