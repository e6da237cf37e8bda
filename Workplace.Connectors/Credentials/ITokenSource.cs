using Workplace.Connectors.Sources;
using Workplace.ServiceDefaults.ConnectorApi;

namespace Workplace.Connectors.Credentials;

/// <summary>
/// Where one provider's access tokens for a user come from: the user's own grant from the connect flow, Descope
/// Outbound Apps, or the organisation's delegation. Registered keyed by source id; chosen by `Sources:{Name}:TokenSource`.
/// </summary>
public interface ITokenSource
{
    /// <summary>What <see cref="ConnectionState.TokenSource"/> reports: connect, descope or delegation.</summary>
    string Kind { get; }

    /// <summary>A current access token for the user, refreshed first when it is about to expire.</summary>
    /// <exception cref="SourceRequestException"><see cref="SourceFailure.NotConnected"/> when the user has no usable grant.</exception>
    ValueTask<string> GetAccessTokenAsync(InternalPrincipal user, CancellationToken cancellationToken);

    /// <summary>
    /// The provider refused <paramref name="rejected"/> (HTTP 401): a fresh token, unless another caller already
    /// replaced it, in which case that one. Refreshes at most once per user and source at a time.
    /// </summary>
    /// <exception cref="SourceRequestException"><see cref="SourceFailure.NotConnected"/> when the grant is revoked.</exception>
    ValueTask<string> RefreshAsync(InternalPrincipal user, string rejected, CancellationToken cancellationToken);

    /// <summary>Whether the user has a grant (without calling the provider).</summary>
    ValueTask<bool> IsConnectedAsync(InternalPrincipal user, CancellationToken cancellationToken);
}
