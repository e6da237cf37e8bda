using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workplace.ServiceDefaults.ConnectorApi;

// The internal HTTP contract between mcpapi and connectors. It lives in the one library both services
// reference so the two sides cannot drift apart.
//
//   GET  /internal/v1/sources                               -> SourceList
//   POST /internal/v1/sources/{source}/search  SearchRequest -> SearchResponse
//   GET  /internal/v1/documents?id=&offset=&max_chars=       -> DocumentRange
//   GET  /internal/v1/connections                            -> ConnectionList (the asserted user's, per source)
//   POST /internal/v1/connections/{source}/authorize  AuthorizeRequest -> AuthorizeResponse (the provider's consent URL)
//   POST /internal/v1/connections/{source}/grant      GrantRequest     -> 204 (code redeemed, grant stored for the user)
//   DELETE /internal/v1/connections/{source}                 -> 204 (grant revoked at the provider and forgotten)
//
// Every call carries `Authorization: Bearer <internal assertion>` (InternalAssertion); errors are
// RFC 9457 problem details: 400 bad input, 401 no or bad assertion, 403 source not granted, 404 unknown
// source or document, 409 the user has not connected the source (or the grant was revoked), 429 provider
// rate limit (Retry-After), 502 provider failure, 503 the source is paused after repeated failures (its
// circuit is open; Retry-After says when it is tried again), 504 the provider did not answer in time.

public static class ConnectorRoutes
{
    public const string Sources = "/internal/v1/sources";
    public const string Documents = "/internal/v1/documents";

    public const string Connections = "/internal/v1/connections";

    public static string Search(string source) => $"/internal/v1/sources/{Uri.EscapeDataString(source)}/search";

    public static string Authorize(string source) => $"{Connections}/{Uri.EscapeDataString(source)}/authorize";

    public static string Grant(string source) => $"{Connections}/{Uri.EscapeDataString(source)}/grant";

    public static string Connection(string source) => $"{Connections}/{Uri.EscapeDataString(source)}";
}

// RequiresConnection: True when each user must connect the source (the connect flow) before it answers.
// Emulated: True when the source talks to Workplace.Emulators rather than the real provider.
// PausedUntil: set while the source's circuit is open after repeated provider failures; calls fail at once until then.
public sealed record SourceDescriptor(string Id, string Title, string Description, bool RequiresConnection, bool Emulated = false, DateTimeOffset? PausedUntil = null);

// TokenSource: Where the user's provider token comes from: connect (our connect flow), descope (Descope
// Outbound Apps), delegation (Google domain-wide delegation) or none (a source without per-user credentials).
public sealed record ConnectionState(string Source, bool Connected, string TokenSource);

public sealed record ConnectionList(IReadOnlyList<ConnectionState> Connections);

/// <summary>Starts the provider's authorization-code flow: mcpapi owns the state and the PKCE verifier, connectors the client id.</summary>
public sealed record AuthorizeRequest(string RedirectUri, string State, string CodeChallenge, string? LoginHint);

public sealed record AuthorizeResponse(string AuthorizationUrl);

/// <summary>Redeems the code the provider sent to mcpapi's callback, for the asserted user.</summary>
public sealed record GrantRequest(string Code, string CodeVerifier, string RedirectUri);

public sealed record SourceList(IReadOnlyList<SourceDescriptor> Sources);

public sealed record SearchRequest(string Query, int MaxResults, bool IncludeContent, DateTimeOffset? ModifiedAfter);

public sealed record SearchHit(
    string Id,
    string Source,
    string Title,
    string Url,
    string Snippet,
    DateTimeOffset Modified,
    string? Author,
    string? MimeType,
    double Score,
    string? Content);

public sealed record SearchResponse(IReadOnlyList<SearchHit> Results);

public sealed record DocumentRange(
    string Id,
    string Source,
    string Title,
    string Url,
    DateTimeOffset Modified,
    string? MimeType,
    string Content,
    int Offset,
    int TotalChars,
    int? NextOffset,
    bool Truncated);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SourceList))]
[JsonSerializable(typeof(SearchRequest))]
[JsonSerializable(typeof(SearchResponse))]
[JsonSerializable(typeof(DocumentRange))]
[JsonSerializable(typeof(ConnectionList))]
[JsonSerializable(typeof(AuthorizeRequest))]
[JsonSerializable(typeof(AuthorizeResponse))]
[JsonSerializable(typeof(GrantRequest))]
public sealed partial class ConnectorJsonContext : JsonSerializerContext;
