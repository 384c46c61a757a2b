using System.Collections.Concurrent;
using Pipeline.Core.Expressions;
using Pipeline.Core.Model;
using Pipeline.Engine.Events;
using Pipeline.Engine.Files;
using Pipeline.Engine.Processes;
using Pipeline.Engine.Running;

namespace Pipeline.Engine.Caching;

/// <summary>A cacheable task's key, the entry found under it (null on a miss) and the log its run records.</summary>
internal sealed record CacheLookup(string Key, IReadOnlyList<KeyPart> Parts, CacheEntry? Hit, CacheLog Log);

/// <summary>
/// The cache's part in a run: before a cacheable task runs, compute its key and look it up; on a
/// hit, put back its files, replay its log and finish it as <see cref="TaskState.Cached"/>; after it
/// succeeds, store an entry — before its dependents start, so none of them can change its files
/// while they are copied.
/// </summary>
internal sealed class CacheStep(RunState run)
{
    private readonly ConcurrentDictionary<string, string> _keys = new(StringComparer.Ordinal);

    /// <summary>What a task contributes to the keys of the tasks after it.</summary>
    public string KeyOf(string taskId) =>
        _keys.TryGetValue(taskId, out var key) ? key : CacheKeys.DefinitionKey(run.Find(taskId));

    /// <summary>Whether the task is cached in this run (hashing its inputs may take a while).</summary>
    public bool Applies(TaskDefinition task) => run.Options.Cache is not null && task.IsCached();

    /// <summary>Null when the task is not cached in this run (no cache, no inputs, <c>"cache": false</c>, or its inputs could not be read).</summary>
    public CacheLookup? Lookup(TaskDefinition task, TaskInstance instance, ExpressionContext context, IReadOnlyDictionary<string, string?> env, string workingDirectory)
    {
        if (!Find(task, instance.InstanceId, context, env, workingDirectory, out var key, out var parts, out var hit, out var missed)) return null;
        if (missed is not null)
            run.Output(instance.InstanceId, OutputStream.Stderr, $"workflow: not in the cache ({missed})", live: false);
        return new CacheLookup(key, parts, hit, new CacheLog(run.ScratchFile("cache.log"), run.Masker));
    }

    /// <summary>For <c>--dry-run</c>: the entry a run would restore (null when it would run the task), or why it would run.</summary>
    public CacheEntry? Predict(TaskDefinition task, ExpressionContext context, IReadOnlyDictionary<string, string?> env, string workingDirectory, out string reason)
    {
        if (!Find(task, task.Id.Value, context, env, workingDirectory, out _, out _, out var hit, out var missed))
        {
            reason = "its key could not be computed (see the run)";
            return null;
        }
        reason = missed ?? (run.Options.RefreshCache ? "--force" : "no entry yet");
        return hit;
    }

    /// <summary>Computes the key and looks it up; <paramref name="missed"/> says what changed since the task's last entry.</summary>
    private bool Find(TaskDefinition task, string instanceId, ExpressionContext context, IReadOnlyDictionary<string, string?> env, string workingDirectory,
        out string key, out List<KeyPart> parts, out CacheEntry? hit, out string? missed)
    {
        key = "";
        parts = [];
        hit = null;
        missed = null;
        if (run.Options.Cache is not { } cache || !task.IsCached()) return false;
        try { (key, parts) = CacheKeys.Compute(task, run, context, env, workingDirectory, KeyOf); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            run.Warn($"task '{instanceId}' ran without the cache: its inputs could not be read ({e.Message})");
            return false;
        }
        catch (ExpressionException)
        {
            return false; // the run renders the same field and reports the error as the task's failure
        }
        _keys[task.Id.Value] = key;
        hit = run.Options.RefreshCache ? null : cache.Find(key);
        if (hit is null && !run.Options.RefreshCache && cache.Last(run.Workflow.Name.Value, task.Id.Value) is { } last)
            missed = CacheKeys.Difference(last.Parts, parts);
        return true;
    }

    /// <summary>Puts a hit's files back and replays its log; null when the entry could not be restored (the task then runs).</summary>
    public TaskResult? Restore(CacheLookup lookup, TaskDefinition task, TaskInstance instance, string workingDirectory, bool live)
    {
        var entry = lookup.Hit!;
        var started = DateTimeOffset.UtcNow;
        try
        {
            for (var i = 0; i < entry.Files.Count; i++)
            {
                var file = entry.Files[i];
                var target = Path.GetFullPath(file.Path, workingDirectory);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(Path.Combine(entry.Directory, "files", i.ToString(System.Globalization.CultureInfo.InvariantCulture)), target, overwrite: true);
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(target, (UnixFileMode)file.Mode);
                File.SetLastWriteTimeUtc(target, DateTime.UtcNow); // restored files are as new as if the task had just written them
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            run.Warn($"task '{instance.InstanceId}' ran: its cache entry {lookup.Key} could not be restored ({e.Message})");
            return null;
        }
        var stdout = new OutputCapture();
        var stderr = new OutputCapture();
        foreach (var (stream, line) in CacheLog.Replay(Path.Combine(entry.Directory, "log")))
        {
            (stream == OutputStream.Stdout ? stdout : stderr).Add(line);
            run.Output(instance.InstanceId, stream, line, live);
        }
        return new TaskResult
        {
            InstanceId = instance.InstanceId,
            TaskId = task.Id.Value,
            TaskType = TaskTypes.NameOf(task.Type),
            State = TaskState.Cached,
            Role = instance.Role,
            Parent = instance.Parent,
            StartedAt = started,
            FinishedAt = DateTimeOffset.UtcNow,
            ExitCode = 0,
            Reason = $"ran in {DurationText.Format(entry.Duration)} on {entry.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC",
            Outputs = entry.Outputs,
            Stdout = stdout.Text,
            Stderr = stderr.Text,
        };
    }

    /// <summary>Stores a successful run of a cacheable task, unless a secret shows in its outputs, log or files.</summary>
    public void Save(CacheLookup lookup, TaskDefinition task, TaskResult result, string workingDirectory)
    {
        if (run.Options.Cache is not { } cache || result.State != TaskState.Succeeded || result.ContinuedOnError || run.Cancelled) return;
        if (lookup.Log.Revealed || result.Outputs.Values.Any(run.Masker.Reveals))
        {
            run.Warn($"task '{result.InstanceId}' was not cached: its output holds a secret, and secrets never enter the cache");
            return;
        }
        string? pending = null;
        try
        {
            var files = FileGlobs.Expand(workingDirectory, task.Generates.Select(g => g.Value)).Where(File.Exists).ToList();
            if (files.FirstOrDefault(FileRevealsSecret) is { } leaking)
            {
                run.Warn($"task '{result.InstanceId}' was not cached: {CacheKeys.Relative(workingDirectory, leaking)} holds a secret, and secrets never enter the cache");
                return;
            }
            pending = cache.Begin();
            var kept = new List<CachedFile>();
            if (files.Count > 0) Directory.CreateDirectory(Path.Combine(pending, "files"));
            foreach (var file in files)
            {
                var copy = Path.Combine(pending, "files", kept.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                File.Copy(file, copy);
                var mode = OperatingSystem.IsWindows() ? 0 : (int)File.GetUnixFileMode(file);
                kept.Add(new CachedFile(CacheKeys.Relative(workingDirectory, file), new FileInfo(copy).Length, mode));
            }
            if (lookup.Log.Close() is { } log) File.Move(log, Path.Combine(pending, "log"));
            cache.Commit(pending, new CacheEntry
            {
                Key = lookup.Key,
                Workflow = run.Workflow.Name.Value,
                Task = task.Id.Value,
                CreatedAt = DateTimeOffset.UtcNow,
                Duration = result.Duration,
                Outputs = result.Outputs,
                Files = kept,
                Parts = lookup.Parts,
            }, replace: run.Options.RefreshCache);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (pending is not null) cache.Abandon(pending);
            run.Warn($"task '{result.InstanceId}' was not cached: {e.Message}");
        }
    }

    /// <summary>Reads a generated file as text, in overlapping pieces, looking for any form of a secret.</summary>
    private bool FileRevealsSecret(string path)
    {
        if (run.Masker.IsEmpty) return false;
        const int Piece = 1 << 20, Overlap = 4096;
        using var reader = new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
        var buffer = new char[Piece + Overlap];
        var carried = 0;
        int read;
        while ((read = reader.Read(buffer, carried, Piece)) > 0)
        {
            var length = carried + read;
            if (run.Masker.Reveals(new string(buffer, 0, length))) return true;
            carried = Math.Min(Overlap, length);
            Array.Copy(buffer, length - carried, buffer, 0, carried);
        }
        return false;
    }
}
