using System.Collections.Concurrent;

namespace Workplace.Emulators.Workspace;

/// <summary>
/// The calls that read a document's content, per provider: Drive's export and download, Notion's block children,
/// Graph's download URL. A reader that caches content shows it here (each provider's <c>/admin/{provider}/stats</c>
/// reports <c>contentReads</c>).
/// </summary>
public sealed class ContentReads
{
    private readonly ConcurrentDictionary<string, long> _byProvider = new(StringComparer.Ordinal);

    public void Count(string provider) => _byProvider.AddOrUpdate(provider, 1, (_, n) => n + 1);

    public long Of(string provider) => _byProvider.GetValueOrDefault(provider);
}

/// <summary>
/// <c>POST /admin/{provider}/documents/{id}</c>: the document's new text. The provider's version moves on (Drive's
/// <c>version</c> and <c>modifiedTime</c>, Notion's <c>last_edited_time</c>, Graph's <c>eTag</c> and <c>cTag</c>), as
/// an edit in the provider's own editor does.
/// </summary>
public sealed record DocumentEdit(string? Text);

/// <summary>The answer to a <see cref="DocumentEdit"/>: the version the document now has.</summary>
public sealed record DocumentEdited(string Id, string Version);
