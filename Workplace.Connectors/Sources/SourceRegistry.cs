namespace Workplace.Connectors.Sources;

/// <summary>Every registered <see cref="IDocumentSource"/>, found by id.</summary>
public sealed class SourceRegistry
{
    private readonly Dictionary<string, IDocumentSource> _byId;

    public SourceRegistry(IEnumerable<IDocumentSource> sources)
    {
        _byId = new Dictionary<string, IDocumentSource>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            if (!_byId.TryAdd(source.Id, source))
            {
                throw new InvalidOperationException($"Two document sources are registered with the id '{source.Id}'; each id must be unique.");
            }
        }
        All = [.. _byId.Values.OrderBy(s => s.Id, StringComparer.Ordinal)];
    }

    public IReadOnlyList<IDocumentSource> All { get; }

    public bool TryGet(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IDocumentSource? source) =>
        _byId.TryGetValue(id, out source);
}
