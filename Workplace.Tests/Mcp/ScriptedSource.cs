using Workplace.Connectors.Sources;
using Workplace.ServiceDefaults.ConnectorApi;

namespace Workplace.Tests.Mcp;

/// <summary>
/// A document source registered inside the real Connectors app that answers searches as scripted: fails the way a
/// provider can (SourceRequestException), hangs past mcpapi's deadline, or answers, counting every search it receives.
/// </summary>
public sealed class ScriptedSource(string id, Func<SearchRequest, CancellationToken, Task<SearchResponse>> search) : IDocumentSource
{
    private int _searches;

    public string Id { get; } = id;

    /// <summary>What list_sources learns about the source; by default one that needs no connecting.</summary>
    public SourceDescriptor Descriptor { get; init; } = new(id, id, $"A scripted {id} source for tests.", RequiresConnection: false);

    public int Searches => Volatile.Read(ref _searches);

    public static ScriptedSource Failing(string id, SourceFailure failure, string message, TimeSpan? retryAfter = null) =>
        new(id, (_, _) => throw new SourceRequestException(failure, message, retryAfter));

    public static ScriptedSource Hanging(string id) =>
        new(id, async (_, cancellationToken) =>
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("Unreachable: the delay only ends by cancellation.");
        });

    /// <summary>Answers every query with one hit titled after the query.</summary>
    public static ScriptedSource Answering(string id) => new(id, OneHit(id));

    /// <summary>The search of <see cref="Answering"/>, for a source built with its own descriptor.</summary>
    public static Func<SearchRequest, CancellationToken, Task<SearchResponse>> OneHit(string id) =>
        (request, _) => Task.FromResult(new SearchResponse(
        [
            new SearchHit($"{id}:{Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(request.Query))}", id, request.Query, $"https://example.test/{id}", request.Query,
                DateTimeOffset.UnixEpoch, null, "text/markdown", 1, null),
        ]));

    public Task<SearchResponse> SearchAsync(InternalPrincipal principal, SearchRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _searches);
        return search(request, cancellationToken);
    }

    public Task<DocumentRange> FetchAsync(InternalPrincipal principal, string nativeId, int offset, int maxChars, CancellationToken cancellationToken) =>
        throw new SourceRequestException(SourceFailure.NotFound, $"The scripted source {Id} holds no documents.");
}
