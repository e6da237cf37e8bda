using Microsoft.AspNetCore.Http.HttpResults;
using Workplace.Connectors.Credentials;
using Workplace.Connectors.Credentials.OAuth;
using Workplace.Connectors.Sources;
using Workplace.ServiceDefaults.ConnectorApi;

namespace Workplace.Connectors.Api;

/// <summary>
/// The asserted user's connections to provider sources (ConnectorContract.cs): their state, the provider's consent URL,
/// redeeming the code mcpapi's callback received, and disconnecting. mcpapi owns the browser side of the flow (state,
/// PKCE verifier, cookie); this side owns the OAuth client and the grants.
/// </summary>
public static partial class ConnectionsApi
{
    // The largest of these bodies is a code, a PKCE verifier (at most 128 characters) and a redirect URI.
    private const long MaxBodyBytes = 16 * 1024;

    public static WebApplication MapConnectionsApi(this WebApplication app)
    {
        var api = app.MapGroup(ConnectorRoutes.Connections).AddEndpointFilter(InternalAuthentication.RequireAssertionAsync).WithTags("Internal");
        api.MapGet("", ListAsync).WithName("ListConnections").WithSummary("The asserted user's connection state per provider source.");
        api.MapPost("/{source}/authorize", AuthorizeAsync).WithName("AuthorizeConnection").WithSummary("The provider's consent URL for the asserted user.");
        api.MapPost("/{source}/grant", GrantAsync).WithName("GrantConnection").WithSummary("Redeems the provider's code and stores the grant for the asserted user.");
        api.MapDelete("/{source}", DeleteAsync).WithName("DeleteConnection").WithSummary("Revokes the asserted user's grant at the provider and forgets it.");
        return app;
    }

    private static async Task<Results<Ok<ConnectionList>, ProblemHttpResult>> ListAsync(
        HttpContext context, IEnumerable<ProviderCredentials> providers, IServiceProvider services, CancellationToken cancellationToken)
    {
        var user = context.Principal();
        var states = new List<ConnectionState>();
        try
        {
            foreach (var provider in providers.OrderBy(p => p.Source, StringComparer.Ordinal))
            {
                var tokens = services.GetRequiredKeyedService<ITokenSource>(provider.Source);
                states.Add(new ConnectionState(provider.Source, await tokens.IsConnectedAsync(user, cancellationToken), tokens.Kind));
            }
        }
        catch (SourceRequestException e)
        {
            return Problems.From(e, context);
        }
        return TypedResults.Ok(new ConnectionList(states));
    }

    private static async Task<Results<Ok<AuthorizeResponse>, ProblemHttpResult>> AuthorizeAsync(
        string source, HttpContext context, IEnumerable<ProviderCredentials> providers, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (Connectable(source, context, providers, services) is { } refused)
        {
            return refused;
        }
        var request = await ReadAsync(context, ConnectorJsonContext.Default.AuthorizeRequest, cancellationToken);
        if (request is null || !IsRedirectUri(request.RedirectUri) || string.IsNullOrEmpty(request.State) || string.IsNullOrEmpty(request.CodeChallenge))
        {
            return Problems.BadRequest("Send JSON with redirect_uri (an absolute http(s) URL), state and code_challenge (PKCE S256).");
        }
        var oauth = services.GetRequiredKeyedService<ProviderOAuthClient>(source);
        request = request with { LoginHint = request.LoginHint ?? context.Principal().Email };
        return TypedResults.Ok(new AuthorizeResponse(oauth.AuthorizationUrl(request)));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> GrantAsync(
        string source, HttpContext context, IEnumerable<ProviderCredentials> providers, IServiceProvider services, GrantVault vault, ILogger<ProviderCredentials> logger, CancellationToken cancellationToken)
    {
        if (Connectable(source, context, providers, services) is { } refused)
        {
            return refused;
        }
        var request = await ReadAsync(context, ConnectorJsonContext.Default.GrantRequest, cancellationToken);
        if (request is null || string.IsNullOrEmpty(request.Code) || string.IsNullOrEmpty(request.CodeVerifier) || !IsRedirectUri(request.RedirectUri))
        {
            return Problems.BadRequest("Send JSON with code, code_verifier and redirect_uri (the one the authorization request used).");
        }
        var title = providers.First(p => p.Source == source).Title;
        var oauth = services.GetRequiredKeyedService<ProviderOAuthClient>(source);
        ProviderGrant grant;
        try
        {
            grant = await oauth.RedeemAsync(request.Code, request.CodeVerifier, request.RedirectUri, cancellationToken);
        }
        catch (OAuthRefusedException e) when (e.Status is >= 400 and < 500)
        {
            LogCodeRefused(logger, source, e.Status, e.Error);
            return Problems.BadRequest($"{title} refused the authorization code ({e.Error}): it was already used, has expired, or was issued for another request. Start connecting again from the connect link.");
        }
        catch (Exception e) when (e is OAuthRefusedException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return Problems.Create(StatusCodes.Status502BadGateway, "Provider failure", $"{title}'s sign-in service did not complete the connection. Try connecting again in a minute.");
        }
        try
        {
            await vault.SaveAsync(context.Principal().UserId, source, grant, cancellationToken);
        }
        catch (SourceRequestException e)
        {
            return Problems.From(e, context);
        }
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string source, HttpContext context, IEnumerable<ProviderCredentials> providers, IServiceProvider services, GrantVault vault, ILogger<ProviderCredentials> logger, CancellationToken cancellationToken)
    {
        if (Connectable(source, context, providers, services) is { } refused)
        {
            return refused;
        }
        var user = context.Principal();
        try
        {
            await RevokeAndForgetAsync(source, user, services, vault, logger, cancellationToken);
        }
        catch (SourceRequestException e)
        {
            return Problems.From(e, context);
        }
        return TypedResults.NoContent();
    }

    private static async Task RevokeAndForgetAsync(
        string source, InternalPrincipal user, IServiceProvider services, GrantVault vault, ILogger logger, CancellationToken cancellationToken)
    {
        if (await vault.GetAsync(user.UserId, source, cancellationToken) is { } grant)
        {
            try
            {
                await services.GetRequiredKeyedService<ProviderOAuthClient>(source).RevokeAsync(grant, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Best effort: the grant is forgotten here either way; the user can still remove the app at the provider.
                LogRevokeFailed(logger, source, e.GetType().Name);
            }
            await vault.DeleteAsync(user.UserId, source, cancellationToken);
        }
    }

    /// <summary>Null when the user may connect <paramref name="source"/> through the connect flow; otherwise the refusal.</summary>
    private static ProblemHttpResult? Connectable(string source, HttpContext context, IEnumerable<ProviderCredentials> providers, IServiceProvider services)
    {
        if (!providers.Any(p => p.Source == source))
        {
            return Problems.NotFound($"There is no provider source '{source}' to connect. List the connections at {ConnectorRoutes.Connections}.");
        }
        if (!context.Principal().GrantedSources.Contains(source))
        {
            return Problems.Forbidden(source);
        }
        var kind = services.GetRequiredKeyedService<ITokenSource>(source).Kind;
        return kind == TokenSourceKinds.Connect ? null
            : Problems.BadRequest($"'{source}' gets your tokens from {kind}, not from a connect flow: there is nothing to connect here.");
    }

    private static bool IsRedirectUri(string? uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https";

    // Oversized or malformed, the answer is the same: what the body must hold.
    private static async Task<T?> ReadAsync<T>(HttpContext context, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class =>
        (await JsonBody.ReadAsync(context, type, MaxBodyBytes, cancellationToken)).Value;

    [LoggerMessage(Level = LogLevel.Information, Message = "The provider of {Source} refused an authorization code: {Status} {Error}.")]
    private static partial void LogCodeRefused(ILogger logger, string source, int status, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Revoking a user's grant for {Source} at the provider failed ({Failure}); the grant is forgotten here anyway.")]
    private static partial void LogRevokeFailed(ILogger logger, string source, string failure);
}
