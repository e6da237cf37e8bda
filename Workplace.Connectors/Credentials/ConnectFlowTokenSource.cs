using System.Collections.Concurrent;
using Workplace.Connectors.Credentials.OAuth;
using Workplace.Connectors.Sources;
using Workplace.ServiceDefaults.ConnectorApi;

namespace Workplace.Connectors.Credentials;

/// <summary>
/// Tokens from the user's own grant, stored by the connect flow. An access token is refreshed a minute before it
/// expires (or when the provider refuses it), once per user and source at a time: in this process behind a gate, and
/// across replicas behind a short Redis lock whose losers wait for the winner's token in the vault. A rotated refresh
/// token is stored; a refused one (invalid_grant) deletes the grant, and the source reads not connected.
/// </summary>
public sealed partial class ConnectFlowTokenSource(
    string source, string title, GrantVault vault, ProviderOAuthClient oauth, TimeProvider time, ILogger<ConnectFlowTokenSource> logger) : ITokenSource
{
    /// <summary>How long before its expiry an access token is replaced, so a call does not start with one about to lapse.</summary>
    public static readonly TimeSpan RefreshAhead = TimeSpan.FromSeconds(60);

    // Longer than one token request may take (the OAuth client's attempt timeout), so the lock outlives its refresh.
    private static readonly TimeSpan s_lockLifetime = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan s_peerPollInterval = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    public string Kind => "connect";

    public async ValueTask<string> GetAccessTokenAsync(InternalPrincipal user, CancellationToken cancellationToken)
    {
        // The hot path: the grant this process read within seconds serves (GrantVault.RecentLifetime). A refusal of its
        // token by the provider comes back through RefreshAsync, which reads the store.
        var grant = await vault.GetRecentAsync(user.UserId, source, cancellationToken) ?? throw NotConnected();
        return ExpiresSoon(grant) ? await RefreshAsync(user, grant.AccessToken, cancellationToken) : grant.AccessToken;
    }

    public async ValueTask<string> RefreshAsync(InternalPrincipal user, string rejected, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(user.UserId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var grant = await vault.GetAsync(user.UserId, source, cancellationToken) ?? throw NotConnected();
            if (!string.Equals(grant.AccessToken, rejected, StringComparison.Ordinal) && !ExpiresSoon(grant))
            {
                return grant.AccessToken;
            }
            return await RefreshAcrossReplicasAsync(user, grant, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask<bool> IsConnectedAsync(InternalPrincipal user, CancellationToken cancellationToken) =>
        await vault.GetRecentAsync(user.UserId, source, cancellationToken) is not null;

    private async Task<string> RefreshAcrossReplicasAsync(InternalPrincipal user, ProviderGrant stale, CancellationToken cancellationToken)
    {
        if (stale.RefreshToken is null)
        {
            await vault.DeleteAsync(user.UserId, source, cancellationToken);
            throw Disconnected();
        }
        var owner = Guid.NewGuid().ToString("N");
        if (!await vault.TryLockRefreshAsync(user.UserId, source, owner, s_lockLifetime))
        {
            return await AwaitPeerRefreshAsync(user, stale, cancellationToken);
        }
        try
        {
            // Another replica may have stored new tokens between this one's read and its lock.
            var current = await vault.GetAsync(user.UserId, source, cancellationToken) ?? throw NotConnected();
            if (!string.Equals(current.AccessToken, stale.AccessToken, StringComparison.Ordinal))
            {
                return current.AccessToken;
            }
            // Not the caller's token: once the provider has rotated the refresh token, the answer must be stored even if
            // the caller gives up, or the grant is lost. The OAuth client's own timeouts bound the wait.
            var refreshed = await RefreshAtProviderAsync(user, current);
            await vault.SaveAsync(user.UserId, source, refreshed, CancellationToken.None);
            return refreshed.AccessToken;
        }
        finally
        {
            await vault.ReleaseRefreshAsync(user.UserId, source, owner);
        }
    }

    private async Task<ProviderGrant> RefreshAtProviderAsync(InternalPrincipal user, ProviderGrant grant)
    {
        try
        {
            return await oauth.RefreshAsync(grant, CancellationToken.None);
        }
        catch (OAuthRefusedException e) when (e.GrantRefused)
        {
            LogGrantRefused(logger, source);
            await vault.DeleteAsync(user.UserId, source, CancellationToken.None);
            throw Disconnected();
        }
        catch (OAuthRefusedException e)
        {
            LogRefreshFailed(logger, source, e.Status, e.Error);
            throw new SourceRequestException(SourceFailure.ProviderFailure, $"{title} did not renew your access ({e.Error}). Try again in a minute; if it keeps failing, connect {title} again.", inner: e);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            throw new SourceRequestException(SourceFailure.ProviderFailure, $"{title}'s sign-in service did not answer while renewing your access. Try again in a minute.", inner: e);
        }
    }

    /// <summary>Another replica holds the refresh lock: its new token appears in the vault (or the grant goes away).</summary>
    private async Task<string> AwaitPeerRefreshAsync(InternalPrincipal user, ProviderGrant stale, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + s_lockLifetime;
        while (time.GetUtcNow() < deadline)
        {
            await Task.Delay(s_peerPollInterval, time, cancellationToken);
            var current = await vault.GetAsync(user.UserId, source, cancellationToken) ?? throw Disconnected();
            if (!string.Equals(current.AccessToken, stale.AccessToken, StringComparison.Ordinal))
            {
                return current.AccessToken;
            }
        }
        throw new SourceRequestException(SourceFailure.ProviderFailure, $"Renewing your {title} access took too long. Try again in a minute.");
    }

    private bool ExpiresSoon(ProviderGrant grant) => grant.ExpiresAt is { } expires && expires - RefreshAhead <= time.GetUtcNow();

    private SourceRequestException NotConnected() =>
        new(SourceFailure.NotConnected, $"{title} is not connected for you. Open the connect URL from list_sources, allow access, then call again.");

    private SourceRequestException Disconnected() =>
        new(SourceFailure.NotConnected, $"{title} was disconnected or access was revoked; connect again: open the connect URL from list_sources, allow access, then call again.");

    [LoggerMessage(Level = LogLevel.Information, Message = "The provider of {Source} refused a user's refresh token (invalid_grant): the grant was revoked or expired and is deleted; the user connects again.")]
    private static partial void LogGrantRefused(ILogger logger, string source);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing a user's token for {Source} failed: the token endpoint answered {Status} {Error}.")]
    private static partial void LogRefreshFailed(ILogger logger, string source, int status, string error);
}
