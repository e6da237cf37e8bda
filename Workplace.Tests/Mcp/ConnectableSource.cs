using System.Collections.Concurrent;
using Workplace.Connectors.Sources;
using Workplace.ServiceDefaults.ConnectorApi;

namespace Workplace.Tests.Mcp;

/// <summary>
/// A source inside the real Connectors app that each user must connect: it answers a user's calls with
/// <see cref="SourceFailure.NotConnected"/> (connectors' 409) until <see cref="Connect"/> names that user, which is what a
/// test's "browser" does once it has opened the connect URL and read the user from its ticket.
/// </summary>
public sealed class ConnectableSource(string id) : IDocumentSource
{
    private readonly ConcurrentDictionary<string, bool> _connected = new(StringComparer.Ordinal);
    private int _searches;

    public string Id { get; } = id;

    public SourceDescriptor Descriptor { get; } = new(id, id, $"A scripted {id} source each user connects; its search matches titles only.", RequiresConnection: true);

    public int Searches => Volatile.Read(ref _searches);

    /// <summary>Connects the source for the user connectors knows as <paramref name="userId"/> (mcpapi's user key).</summary>
    public void Connect(string userId) => _connected[userId] = true;

    public Task<SearchResponse> SearchAsync(InternalPrincipal principal, SearchRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _searches);
        EnsureConnected(principal);
        return Task.FromResult(new SearchResponse(
        [
            new SearchHit($"{Id}:connected-hit", Id, $"{request.Query} in {Id}", $"https://example.test/{Id}", request.Query, DateTimeOffset.UnixEpoch, null, "text/markdown", 1, null),
        ]));
    }

    public Task<DocumentRange> FetchAsync(InternalPrincipal principal, string nativeId, int offset, int maxChars, CancellationToken cancellationToken)
    {
        EnsureConnected(principal);
        throw new SourceRequestException(SourceFailure.NotFound, $"The scripted source {Id} holds no documents.");
    }

    private void EnsureConnected(InternalPrincipal principal)
    {
        if (!_connected.ContainsKey(principal.UserId))
        {
            throw new SourceRequestException(SourceFailure.NotConnected, $"{Id} is not connected for you. Open the connect URL, allow access, then call again.");
        }
    }
}
