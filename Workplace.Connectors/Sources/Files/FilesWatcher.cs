using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Workplace.Connectors.Sources.Files;

/// <summary>
/// Keeps the index current without a restart. File-system events only mark the folder dirty; after a quiet
/// <see cref="FilesOptions.Debounce"/> the whole folder is reconciled (cheap: a stat walk, then only changed
/// files are converted). Watchers drop events under load and across some file systems, so a periodic
/// reconciliation every <see cref="FilesOptions.RescanInterval"/> is the safety net.
/// </summary>
public sealed class FilesWatcher(FolderIndexer indexer, IOptions<FilesOptions> options, ILogger<FilesWatcher> logger) : BackgroundService
{
    private readonly Channel<bool> _dirty = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FileSystemWatcher? _watcher;

    /// <summary>Completes when the first full scan is in the index.</summary>
    public Task Ready => _ready.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        FilesTrace.Serving(logger, indexer.Root);
        if (!Directory.Exists(indexer.Root))
        {
            FilesTrace.RootMissing(logger, indexer.Root);
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                Watch();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                // For example the inotify watch limit: the periodic rescan still keeps the index current.
                _watcher?.Dispose();
                _watcher = null;
                FilesTrace.WatcherFailed(logger, indexer.Root, e);
            }
            try
            {
                indexer.Reconcile(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                FilesTrace.ReconcileFailed(logger, e);
            }
            _ready.TrySetResult();
            if (await SignalledWithinAsync(options.Value.RescanInterval, stoppingToken))
            {
                while (await SignalledWithinAsync(options.Value.Debounce, stoppingToken))
                {
                }
            }
        }
    }

    private async Task<bool> SignalledWithinAsync(TimeSpan timeout, CancellationToken stoppingToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        deadline.CancelAfter(timeout);
        try
        {
            await _dirty.Reader.WaitToReadAsync(deadline.Token);
            _dirty.Reader.TryRead(out _);
            return true;
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    // The root may appear or vanish while the service runs; the watcher follows it at each reconciliation.
    private void Watch()
    {
        var exists = Directory.Exists(indexer.Root);
        if (exists && _watcher is null)
        {
            _watcher = new FileSystemWatcher(indexer.Root)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
                InternalBufferSize = 64 * 1024,
            };
            _watcher.Created += (_, _) => MarkDirty();
            _watcher.Changed += (_, _) => MarkDirty();
            _watcher.Deleted += (_, _) => MarkDirty();
            _watcher.Renamed += (_, _) => MarkDirty();
            _watcher.Error += (_, e) =>
            {
                FilesTrace.WatcherFailed(logger, indexer.Root, e.GetException());
                MarkDirty();
            };
            _watcher.EnableRaisingEvents = true;
        }
        else if (!exists && _watcher is not null)
        {
            _watcher.Dispose();
            _watcher = null;
        }
    }

    private void MarkDirty() => _dirty.Writer.TryWrite(true);

    public override void Dispose()
    {
        _watcher?.Dispose();
        base.Dispose();
    }
}
