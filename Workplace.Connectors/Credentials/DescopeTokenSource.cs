using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Workplace.Connectors.Sources;
using Workplace.ServiceDefaults.ConnectorApi;

namespace Workplace.Connectors.Credentials;

/// <summary>
/// Tokens Descope Outbound Apps holds for the user: Descope runs the provider's consent and refreshes the provider's
/// tokens; connectors fetch the latest with the project's management key. Descope knows the user by its own user id,
/// which connectors look up once from the user's email (the <c>email</c> claim mcpapi puts into the internal
/// assertion), used as the user's Descope login ID. Tokens are kept in this process until a minute before they expire.
/// </summary>
public sealed partial class DescopeTokenSource(
    string source, string title, DescopeOutboundOptions options, IHttpClientFactory clients, TimeProvider time, ILogger<DescopeTokenSource> logger) : ITokenSource
{
    private readonly ConcurrentDictionary<string, string> _descopeUserIds = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset? Expires)> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    public string Kind => TokenSourceKinds.Descope;

    public async ValueTask<string> GetAccessTokenAsync(InternalPrincipal user, CancellationToken cancellationToken) =>
        Current(user, rejected: null) ?? await FetchAsync(user, rejected: null, cancellationToken);

    public async ValueTask<string> RefreshAsync(InternalPrincipal user, string rejected, CancellationToken cancellationToken) =>
        Current(user, rejected) ?? await FetchAsync(user, rejected, cancellationToken);

    public async ValueTask<bool> IsConnectedAsync(InternalPrincipal user, CancellationToken cancellationToken)
    {
        try
        {
            await GetAccessTokenAsync(user, cancellationToken);
            return true;
        }
        catch (SourceRequestException e) when (e.Failure == SourceFailure.NotConnected)
        {
            return false;
        }
    }

    private string? Current(InternalPrincipal user, string? rejected) =>
        _tokens.TryGetValue(user.UserId, out var held)
        && !string.Equals(held.Token, rejected, StringComparison.Ordinal)
        && (held.Expires is not { } expires || expires - ConnectFlowTokenSource.RefreshAhead > time.GetUtcNow())
            ? held.Token
            : null;

    private async Task<string> FetchAsync(InternalPrincipal user, string? rejected, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(user.UserId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (Current(user, rejected) is { } fetchedMeanwhile)
            {
                return fetchedMeanwhile;
            }
            var descopeUser = await DescopeUserIdAsync(user, cancellationToken);
            // A token the provider refused is renewed at the provider, not handed back again.
            using var request = Management(HttpMethod.Post, "v1/mgmt/outbound/app/user/token/latest");
            request.Content = JsonContent.Create(new OutboundTokenRequest(options.AppId!, descopeUser, new OutboundTokenOptions(false, rejected is not null)),
                DescopeJsonContext.Default.OutboundTokenRequest);
            using var response = await SendAsync(request, cancellationToken);
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
            {
                _tokens.TryRemove(user.UserId, out _);
                throw NotConnected();
            }
            var body = await ReadAsync(response, DescopeJsonContext.Default.OutboundTokenResponse, cancellationToken);
            if (body?.Token is not { AccessToken.Length: > 0 } token)
            {
                throw Failure("answered without a token");
            }
            DateTimeOffset? expires = long.TryParse(token.AccessTokenExpiry, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : null;
            _tokens[user.UserId] = (token.AccessToken, expires);
            return token.AccessToken;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<string> DescopeUserIdAsync(InternalPrincipal user, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(user.Email))
        {
            throw new SourceRequestException(SourceFailure.NotConnected,
                $"{title} tokens come from Descope, which knows you by your email, and your sign-in carries none. Sign in with an account that has an email, then call again.");
        }
        if (_descopeUserIds.TryGetValue(user.Email, out var known))
        {
            return known;
        }
        using var request = Management(HttpMethod.Get, $"v1/mgmt/user?loginId={Uri.EscapeDataString(user.Email)}");
        using var response = await SendAsync(request, cancellationToken);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
        {
            throw NotConnected();
        }
        var body = await ReadAsync(response, DescopeJsonContext.Default.LoadUserResponse, cancellationToken);
        var id = body?.User?.UserId is { Length: > 0 } userId ? userId : throw Failure("answered without a user id");
        _descopeUserIds[user.Email] = id;
        return id;
    }

    private HttpRequestMessage Management(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(options.BaseUrl, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", $"{options.ProjectId}:{options.ManagementKey}");
        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(CredentialsRegistration.OAuthHttpClient).SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw Failure("did not answer");
        }
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            response.Dispose();
            LogManagementKeyRefused(logger, source);
            throw Failure("refused this service's management key");
        }
        return response;
    }

    private async Task<T?> ReadAsync<T>(HttpResponseMessage response, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw Failure($"answered {(int)response.StatusCode}");
        }
        try
        {
            return await response.Content.ReadFromJsonAsync(type, cancellationToken);
        }
        catch (JsonException)
        {
            throw Failure("answered with a body that is not its JSON");
        }
    }

    private SourceRequestException NotConnected() =>
        new(SourceFailure.NotConnected, $"{title} is not connected for you in Descope. Connect {title} where your organisation's Descope sign-in offers it, then call again.");

    private SourceRequestException Failure(string what) =>
        new(SourceFailure.ProviderFailure, $"Descope, which holds your {title} token, {what}. Try again in a minute; if it persists, tell your administrator.");

    [LoggerMessage(Level = LogLevel.Error, Message = "Descope refused the management key configured for {Source} (Sources:{{Name}}:Descope:ProjectId and ManagementKey): no user's token can be fetched.")]
    private static partial void LogManagementKeyRefused(ILogger logger, string source);
}

public sealed record OutboundTokenOptions(bool WithRefreshToken, bool ForceRefresh);

public sealed record OutboundTokenRequest(string AppId, string UserId, OutboundTokenOptions Options);

public sealed record OutboundToken(string? AccessToken, string? AccessTokenExpiry);

public sealed record OutboundTokenResponse(OutboundToken? Token);

public sealed record DescopeUserRecord(string? UserId);

public sealed record LoadUserResponse(DescopeUserRecord? User);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(OutboundTokenRequest))]
[JsonSerializable(typeof(OutboundTokenResponse))]
[JsonSerializable(typeof(LoadUserResponse))]
public sealed partial class DescopeJsonContext : JsonSerializerContext;
