using Workplace.Connectors.Sources;
using Workplace.ServiceDefaults.ConnectorApi;

namespace Workplace.Connectors.Credentials;

/// <summary>Tokens from the user's own grant, stored by the connect flow.</summary>
public sealed class ConnectFlowTokenSource(string source, string title, GrantVault vault) : ITokenSource
{
    public string Kind => "connect";

    public async ValueTask<string> GetAccessTokenAsync(InternalPrincipal user, CancellationToken cancellationToken) =>
        (await vault.GetAsync(user.UserId, source, cancellationToken))?.AccessToken ?? throw NotConnected();

    public ValueTask<string> RefreshAsync(InternalPrincipal user, string rejected, CancellationToken cancellationToken) =>
        throw NotConnected();

    public async ValueTask<bool> IsConnectedAsync(InternalPrincipal user, CancellationToken cancellationToken) =>
        await vault.GetAsync(user.UserId, source, cancellationToken) is not null;

    private SourceRequestException NotConnected() =>
        new(SourceFailure.NotConnected, $"{title} is not connected for you. Open the connect URL from list_sources, allow access, then call again.");
}
