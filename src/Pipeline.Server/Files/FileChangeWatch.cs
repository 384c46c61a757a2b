using Microsoft.Extensions.FileSystemGlobbing;

namespace Pipeline.Server.Files;

/// <summary>
/// Watches one file_change trigger and hands over batches. File system events (or, with a poll
/// interval, a timer) only say "look now": each look compares a snapshot of the matching files with
/// the previous one, so what a batch lists is the net change, and an overflowing event buffer loses
/// nothing. A batch closes when the folder has been quiet for the debounce window, or after
/// <see cref="FileWatchEntry.MaxWait"/> however busy it stays: an event storm of 10,000 files
/// becomes a few runs, not 10,000.
/// </summary>
public sealed class FileChangeWatch : IDisposable
{
    private readonly FileWatchEntry _entry;
    private readonly Func<FileChanges, Task> _batch;
    private readonly Action<string> _log;
    private readonly Matcher _matcher;
    private readonly Lock _gate = new();
    private readonly PendingChanges _pending = new();
    private readonly Timer _timer;
    private readonly FileSystemWatcher? _watcher;
    private FileSnapshot _last;
    private DateTime? _firstChange;
    private DateTime _lastChange;
    private DateTime? _firstSignal;
    private bool _disposed;

    public FileChangeWatch(FileWatchEntry entry, Func<FileChanges, Task> batch, Action<string> log)
    {
        _entry = entry;
        _batch = batch;
        _log = log;
        _matcher = entry.Matcher();
        _last = FileSnapshot.Take(entry.Root, _matcher);
        _timer = new Timer(_ => Look());
        if (entry.Poll is { } poll)
        {
            _timer.Change(poll, poll);
            return;
        }
        _watcher = new FileSystemWatcher(entry.Root) { IncludeSubdirectories = true, InternalBufferSize = 64 * 1024,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size };
        _watcher.Changed += (_, _) => Signal();
        _watcher.Created += (_, _) => Signal();
        _watcher.Deleted += (_, _) => Signal();
        _watcher.Renamed += (_, _) => Signal();
        _watcher.Error += (_, e) => { _log($"file_change {entry.Key}: {e.GetException().Message}; looking at the files again"); Signal(); };
        _watcher.EnableRaisingEvents = true;
    }

    public FileWatchEntry Entry => _entry;

    /// <summary>Files matched when the watch started (or at the last look).</summary>
    public int Watched { get { lock (_gate) return _last.Count; } }

    /// <summary>An event: look once the folder has been quiet for the debounce window (sooner when a batch has been open for the longest wait).</summary>
    private void Signal()
    {
        lock (_gate)
        {
            if (_disposed) return;
            var now = DateTime.UtcNow;
            _firstSignal ??= now;
            var due = now - _firstSignal.Value >= _entry.MaxWait ? TimeSpan.Zero : _entry.Debounce;
            _timer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private void Look()
    {
        FileChanges? batch = null;
        lock (_gate)
        {
            if (_disposed) return;
            var now = DateTime.UtcNow;
            var snapshot = FileSnapshot.Take(_entry.Root, _matcher);
            if (snapshot.DiffInto(_last, _pending) > 0)
            {
                _firstChange ??= now;
                _lastChange = now;
            }
            _last = snapshot;
            _firstSignal = null;
            var quiet = now - _lastChange >= _entry.Debounce || _entry.Poll is null;
            if (!_pending.IsEmpty && (quiet || now - _firstChange!.Value >= _entry.MaxWait))
            {
                batch = _pending.Take(_entry.Kinds);
                _firstChange = null;
            }
        }
        if (batch is { Count: > 0 })
        {
            try { _batch(batch).GetAwaiter().GetResult(); }
            catch (Exception e) { _log($"file_change {_entry.Key}: the run for {batch.Count} changed file(s) did not start: {e.Message}"); }
        }
    }

    public void Dispose()
    {
        lock (_gate) _disposed = true;
        _watcher?.Dispose();
        _timer.Dispose();
    }
}
