using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Workplace.ServiceDefaults.ConnectorApi;

namespace Workplace.Connectors.Credentials.OAuth;

/// <summary>
/// A provider's OAuth 2.0 authorization server as the connect flow uses it: the consent URL (authorization code with
/// PKCE S256), code redemption, refresh and revocation. Each provider speaks its own dialect of the token endpoint.
/// </summary>
public abstract class ProviderOAuthClient(HttpClient http, OAuthClientOptions options, TimeProvider time)
{
    protected OAuthClientOptions Options { get; } = options;

    protected HttpClient Http { get; } = http;

    protected abstract Uri DefaultAuthorizeUrl { get; }

    protected abstract Uri DefaultTokenUrl { get; }

    protected Uri TokenUrl => Options.TokenUrl ?? DefaultTokenUrl;

    /// <summary>What the provider's consent asks for when <c>OAuth:Scopes</c> is not set.</summary>
    protected virtual string? DefaultScopes => null;

    protected string? Scopes => string.IsNullOrWhiteSpace(Options.Scopes) ? DefaultScopes : Options.Scopes;

    /// <summary>The provider's consent page for this request; the provider sends the browser back to its redirect URI.</summary>
    public string AuthorizationUrl(AuthorizeRequest request)
    {
        var parameters = new Dictionary<string, string?>
        {
            ["client_id"] = Options.ClientId,
            ["redirect_uri"] = request.RedirectUri,
            ["response_type"] = "code",
            ["state"] = request.State,
            ["code_challenge"] = request.CodeChallenge,
            ["code_challenge_method"] = "S256",
        };
        if (Scopes is { } scopes)
        {
            parameters["scope"] = scopes;
        }
        if (request.LoginHint is { Length: > 0 } hint)
        {
            parameters["login_hint"] = hint;
        }
        foreach (var (name, value) in ExtraAuthorizeParameters)
        {
            parameters[name] = value;
        }
        return QueryHelpers.AddQueryString((Options.AuthorizeUrl ?? DefaultAuthorizeUrl).ToString(), parameters);
    }

    /// <summary>What this provider's consent URL needs beyond the standard parameters.</summary>
    protected abstract IEnumerable<KeyValuePair<string, string?>> ExtraAuthorizeParameters { get; }

    /// <exception cref="OAuthRefusedException">The provider refused the code (spent, expired, wrong verifier or redirect).</exception>
    public Task<ProviderGrant> RedeemAsync(string code, string codeVerifier, string redirectUri, CancellationToken cancellationToken) =>
        RequestTokensAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = codeVerifier,
        }, previous: null, cancellationToken);

    /// <summary>New tokens for <paramref name="grant"/>; its refresh token is kept when the provider does not rotate it.</summary>
    /// <exception cref="OAuthRefusedException">The provider refused the refresh token (invalid_grant: revoked or expired).</exception>
    public Task<ProviderGrant> RefreshAsync(ProviderGrant grant, CancellationToken cancellationToken) =>
        RequestTokensAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = grant.RefreshToken ?? throw new InvalidOperationException("A grant without a refresh token cannot be refreshed."),
        }, grant, cancellationToken);

    /// <summary>Ends the grant at the provider, where the provider has a revocation endpoint.</summary>
    public abstract Task RevokeAsync(ProviderGrant grant, CancellationToken cancellationToken);

    /// <summary>The token request in this provider's dialect: where the client credentials go and how the body is encoded.</summary>
    protected abstract HttpRequestMessage TokenRequest(Dictionary<string, string> fields);

    private async Task<ProviderGrant> RequestTokensAsync(Dictionary<string, string> fields, ProviderGrant? previous, CancellationToken cancellationToken)
    {
        using var request = TokenRequest(fields);
        using var response = await Http.SendAsync(request, cancellationToken);
        OAuthTokenResponse? tokens = null;
        OAuthErrorResponse? error = null;
        try
        {
            if (response.IsSuccessStatusCode)
            {
                tokens = await response.Content.ReadFromJsonAsync(OAuthJsonContext.Default.OAuthTokenResponse, cancellationToken);
            }
            else
            {
                error = await response.Content.ReadFromJsonAsync(OAuthJsonContext.Default.OAuthErrorResponse, cancellationToken);
            }
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            throw new OAuthRefusedException(OAuthRefusedException.MalformedResponse, (int)response.StatusCode);
        }
        if (error is not null || tokens is not { AccessToken.Length: > 0 })
        {
            throw new OAuthRefusedException(error?.Error ?? OAuthRefusedException.MalformedResponse, (int)response.StatusCode);
        }
        var expiresAt = tokens.ExpiresIn is { } seconds and > 0 ? time.GetUtcNow().AddSeconds(seconds) : (DateTimeOffset?)null;
        return new ProviderGrant(tokens.AccessToken, tokens.RefreshToken ?? previous?.RefreshToken, expiresAt, tokens.Scope ?? previous?.Scope);
    }
}
