using System.Collections.Concurrent;

namespace Workplace.Emulators.Google.Workspace;

/// <summary>
/// The files of this emulator: the sample Drive (<see cref="DriveWorkspace.Sample"/>, shared and immutable) with the
/// edits made through <c>POST /admin/google/documents/{id}</c>, which belong to this emulator instance only.
/// </summary>
public sealed class DriveDocuments(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DriveFile> _edited = new(StringComparer.Ordinal);

    public IEnumerable<DriveFile> Files => DriveWorkspace.Sample.Files.Select(f => _edited.GetValueOrDefault(f.Id, f));

    public DriveFile? Find(string id) => _edited.TryGetValue(id, out var edited) ? edited : DriveWorkspace.Sample.Find(id);

    /// <summary>Replaces a file's content, a new version; null when there is no such file or it has no content (a folder).</summary>
    public DriveFile? Edit(string id, string markdown)
    {
        if (DriveWorkspace.Sample.Find(id) is not { } original || original.MimeType == DriveMimeTypes.Folder)
        {
            return null;
        }
        var modified = time.GetUtcNow();
        return _edited.AddOrUpdate(id, _ => original.Edited(markdown, modified), (_, current) => current.Edited(markdown, modified));
    }
}
