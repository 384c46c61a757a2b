using System.Text.Json;
using Pipeline.Core.Expressions;
using Pipeline.Engine.Running;
using Pipeline.Server.Runs;

namespace Pipeline.Server.Files;

/// <summary>
/// The file_change triggers of the served workflows, each watched by a <see cref="FileChangeWatch"/>;
/// a batch starts one run with the trigger <c>file_change</c>: the changed paths in
/// <c>${trigger.files}</c>, and <c>${trigger.payload.added|changed|deleted}</c>. Applying a new catalog
/// keeps the watches of unchanged triggers (and what they saw), starts new ones and stops removed ones.
/// </summary>
public sealed class FileTriggers(IRunStarter starter, Action<string> log) : IDisposable
{
    private readonly Dictionary<string, FileChangeWatch> _watches = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public IReadOnlyList<FileWatchEntry> Entries { get { lock (_gate) return _watches.Values.Select(w => w.Entry).ToList(); } }

    public void Apply(IReadOnlyCollection<FileWatchEntry> entries)
    {
        lock (_gate)
        {
            var wanted = entries.ToDictionary(e => e.Key, StringComparer.Ordinal);
            foreach (var (key, watch) in _watches.ToList())
                if (!wanted.TryGetValue(key, out var entry) || entry.Signature != watch.Entry.Signature)
                {
                    watch.Dispose();
                    _watches.Remove(key);
                }
            foreach (var entry in entries.Where(e => !_watches.ContainsKey(e.Key)))
            {
                try
                {
                    var watch = new FileChangeWatch(entry, changes => StartAsync(entry, changes), log);
                    _watches[entry.Key] = watch;
                    log($"file_change: {string.Join(", ", entry.Paths)} under {entry.Root} → {entry.Workflow} ({watch.Watched} file(s) now, {(entry.Poll is { } p ? $"polled every {p.TotalSeconds:0.###}s" : "on file system events")}, debounce {entry.Debounce.TotalMilliseconds:0} ms)");
                }
                catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
                {
                    log($"file_change: cannot watch {entry.Root} for {entry.Workflow}: {e.Message}");
                }
            }
        }
    }

    private async Task StartAsync(FileWatchEntry entry, FileChanges changes)
    {
        var payload = ExprValue.Object(
        [
            new("added", ExprValue.Array(changes.Added.Select(ExprValue.String))),
            new("changed", ExprValue.Array(changes.Changed.Select(ExprValue.String))),
            new("deleted", ExprValue.Array(changes.Deleted.Select(ExprValue.String))),
        ]);
        var request = new RunRequest(entry.Workflow, "file_change", new TriggerDetails { Files = changes.All.ToList(), Payload = payload })
        {
            TriggerData = Pipeline.Engine.Json.PipelineJson.Serialize(new Dictionary<string, object?>
            {
                ["root"] = entry.Root, ["added"] = changes.Added.ToList(), ["changed"] = changes.Changed.ToList(), ["deleted"] = changes.Deleted.ToList(),
            }),
        };
        try
        {
            var run = await starter.StartAsync(request, CancellationToken.None).ConfigureAwait(false);
            log($"file_change: {changes.Count} changed file(s) under {entry.Root} started {run.ExecutionId} of {entry.Workflow}");
        }
        catch (RunRefusedException e)
        {
            log($"file_change: {changes.Count} changed file(s) did not start {entry.Workflow}: {e.Message}");
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var watch in _watches.Values) watch.Dispose();
            _watches.Clear();
        }
    }
}
