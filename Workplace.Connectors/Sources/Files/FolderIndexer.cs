using System.Collections.Concurrent;
using System.Diagnostics;
using Workplace.Connectors.Content;

namespace Workplace.Connectors.Sources.Files;

/// <summary>
/// Brings the index in line with the folder: converts files that are new or whose mtime or size changed and
/// drops files that are gone. Links (to files or folders) are never followed and hidden entries (names
/// starting with '.', Office "~$" owner files) are ignored. Not thread-safe: one reconciliation at a time.
/// </summary>
public sealed class FolderIndexer(FilesIndex index, string root, long maxFileBytes, ILogger logger)
{
    private const int BatchSize = 64;

    // Each skip is logged once per path and stamp, not on every rescan.
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileStamp> _failed = new(StringComparer.Ordinal);

    public string Root { get; } = root;

    public (int Updated, int Removed) Reconcile(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var known = index.Stamps();
        var present = new HashSet<string>(StringComparer.Ordinal);
        var changed = new List<(string Path, FileInfo Info, FileStamp Stamp)>();
        foreach (var (path, info) in Walk(cancellationToken))
        {
            var stamp = new FileStamp(info.LastWriteTimeUtc.Ticks, info.Length);
            present.Add(path);
            if ((!known.TryGetValue(path, out var indexed) || indexed != stamp) && !(_failed.TryGetValue(path, out var failed) && failed == stamp))
            {
                changed.Add((path, info, stamp));
            }
        }
        var removed = known.Keys.Where(p => !present.Contains(p)).ToList();
        index.Remove(removed);
        foreach (var path in removed)
        {
            _failed.Remove(path);
        }

        foreach (var batch in changed.Chunk(BatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var converted = new ConcurrentBag<IndexedFile>();
            var failures = new ConcurrentBag<(string Path, FileStamp Stamp, Exception Error)>();
            Parallel.ForEach(batch, new ParallelOptions { CancellationToken = cancellationToken }, item =>
            {
                try
                {
                    converted.Add(Convert(item.Path, item.Info));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    failures.Add((item.Path, item.Stamp, e));
                }
            });
            index.Upsert(converted);
            foreach (var (path, stamp, error) in failures)
            {
                _failed[path] = stamp;
                FilesTrace.ConversionFailed(logger, path, error);
            }
        }
        var documents = index.Count;
        FilesTrace.Reconciled(logger, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, documents, changed.Count, removed.Count);
        return (changed.Count, removed.Count);
    }

    private static IndexedFile Convert(string path, FileInfo info)
    {
        using var stream = new FileStream(info.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024);
        var document = DocumentFormats.Convert(info.Name, stream);
        var title = string.IsNullOrWhiteSpace(document.Title) ? Path.GetFileNameWithoutExtension(info.Name) : document.Title;
        return new IndexedFile(path, title, document.Markdown, new DateTimeOffset(info.LastWriteTimeUtc.Ticks, TimeSpan.Zero), info.Length, DocumentFormats.MimeType(info.Name));
    }

    private IEnumerable<(string Path, FileInfo Info)> Walk(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Root))
        {
            yield break;
        }
        var pending = new Stack<(DirectoryInfo Folder, string Prefix)>();
        pending.Push((new DirectoryInfo(Root), ""));
        while (pending.TryPop(out var current))
        {
            cancellationToken.ThrowIfCancellationRequested();
            FileSystemInfo[] entries;
            try
            {
                entries = current.Folder.GetFileSystemInfos();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                FilesTrace.FolderUnreadable(logger, current.Prefix, e);
                continue;
            }
            foreach (var entry in entries)
            {
                // Hidden entries and Office owner files ("~$report.docx", written while a document is open) are not documents.
                if (entry.Name.StartsWith('.') || entry.Name.StartsWith("~$", StringComparison.Ordinal))
                {
                    continue;
                }
                var path = current.Prefix + entry.Name;
                if (entry.LinkTarget is not null || entry.Attributes.HasFlag(FileAttributes.ReparsePoint))
                {
                    ReportOnce(path, () => FilesTrace.SkippedLink(logger, path));
                }
                else if (entry is DirectoryInfo folder)
                {
                    pending.Push((folder, path + "/"));
                }
                else if (entry is FileInfo file && DocumentFormats.IsSupported(file.Name))
                {
                    if (FileNativeId.CheckRelativePath(path) is { } reason)
                    {
                        ReportOnce(path, () => FilesTrace.SkippedName(logger, path, reason));
                    }
                    else if (file.Length > maxFileBytes)
                    {
                        ReportOnce($"{path}\0{file.Length}", () => FilesTrace.SkippedTooLarge(logger, path, file.Length, maxFileBytes));
                    }
                    else
                    {
                        yield return (path, file);
                    }
                }
            }
        }
    }

    private void ReportOnce(string key, Action report)
    {
        if (_reported.Add(key))
        {
            report();
        }
    }
}
