using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workplace.Connectors.Credentials.OAuth;

/// <summary>A token endpoint's success body (RFC 6749 §5.1); Notion's extra fields (bot_id, owner…) are not needed.</summary>
public sealed record OAuthTokenResponse(string? AccessToken, string? RefreshToken, int? ExpiresIn, string? Scope);

/// <summary>A token endpoint's error body (RFC 6749 §5.2).</summary>
public sealed record OAuthErrorResponse(string? Error, string? ErrorDescription);

/// <summary>Notion's token and revocation requests are JSON.</summary>
public sealed record NotionTokenRequest(string GrantType, string? Code, string? RedirectUri, string? CodeVerifier, string? RefreshToken);

public sealed record NotionRevokeRequest(string Token);

/// <summary>The emulators' admin grant request: <c>{"user":"aditi"}</c>.</summary>
public sealed record EmulatorGrantRequest(string User);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(OAuthTokenResponse))]
[JsonSerializable(typeof(OAuthErrorResponse))]
[JsonSerializable(typeof(NotionTokenRequest))]
[JsonSerializable(typeof(NotionRevokeRequest))]
[JsonSerializable(typeof(EmulatorGrantRequest))]
public sealed partial class OAuthJsonContext : JsonSerializerContext;
