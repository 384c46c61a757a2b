namespace Pipeline.Engine.Caching;

/// <summary>
/// The content-addressed cache of task results: one folder per key
/// (<c>v1/&lt;2 hex&gt;/&lt;key&gt;/</c> holding <c>entry.json</c>, <c>log</c> and <c>files/</c>).
/// An entry is written in <c>v1/tmp/</c> and renamed into place, so two runs sharing the folder (a CI
/// cache, <c>WORKFLOW_CACHE_DIR</c>) never see half an entry; an entry is never changed once
/// there, and is removed by renaming it away first. A hit touches the entry's folder, which is the
/// "last used" time <see cref="Prune"/> goes by.
/// </summary>
public sealed class TaskCache
{
    /// <summary>The variable naming a cache folder to use instead of the state folder's <c>cache/</c>.</summary>
    public const string DirectoryVariable = "WORKFLOW_CACHE_DIR";

    private const string Layout = "v1";

    public TaskCache(string directory) => Directory = Path.GetFullPath(directory);

    public string Directory { get; }

    private string Root => Path.Combine(Directory, Layout);
    private string TempRoot => Path.Combine(Root, "tmp");
    private string LastRoot => Path.Combine(Root, "last");

    /// <summary>The cache at <c>WORKFLOW_CACHE_DIR</c>, else <c>&lt;state folder&gt;/cache</c>.</summary>
    public static TaskCache ForStateDirectory(string stateDirectory) =>
        new(System.Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } shared ? shared : Path.Combine(stateDirectory, "cache"));

    internal string EntryDirectory(string key) => Path.Combine(Root, key[..2], key);

    /// <summary>The entry under a key, or null. A hit marks the entry used now.</summary>
    public CacheEntry? Find(string key)
    {
        var dir = EntryDirectory(key);
        if (!System.IO.Directory.Exists(dir)) return null;
        var entry = CacheEntry.Read(dir);
        if (entry is null || entry.Key != key) return null;
        try { System.IO.Directory.SetLastWriteTimeUtc(dir, DateTime.UtcNow); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* a read-only shared cache still serves hits */ }
        return entry;
    }

    /// <summary>The entry a task last wrote (to say what changed when it misses), or null.</summary>
    public CacheEntry? Last(string workflow, string task)
    {
        try
        {
            var pointer = Path.Combine(LastRoot, ContentHash.Of(workflow + "\0" + task));
            if (!File.Exists(pointer)) return null;
            var key = File.ReadAllText(pointer).Trim();
            return key.Length >= 2 && System.IO.Directory.Exists(EntryDirectory(key)) ? CacheEntry.Read(EntryDirectory(key)) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>A folder to fill with a new entry's files; <see cref="Commit"/> puts it in place.</summary>
    internal string Begin()
    {
        var dir = Path.Combine(TempRoot, Guid.NewGuid().ToString("n"));
        System.IO.Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>
    /// Writes <paramref name="entry"/>'s <c>entry.json</c> into the folder from <see cref="Begin"/> and
    /// renames the folder to the key's place. When an entry is already there (another run got there
    /// first) the new one is dropped, unless <paramref name="replace"/> (a forced run refreshing it).
    /// </summary>
    internal void Commit(string pending, CacheEntry entry, bool replace)
    {
        entry.Write(Path.Combine(pending, "entry.json"));
        var target = EntryDirectory(entry.Key);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (replace && System.IO.Directory.Exists(target)) RemoveEntry(target);
        try { System.IO.Directory.Move(pending, target); }
        catch (IOException) when (System.IO.Directory.Exists(target))
        {
            DeleteQuietly(pending); // the same key holds the same work: theirs is as good as ours
        }
        WritePointer(entry.Workflow, entry.Task, entry.Key);
    }

    internal void Abandon(string pending) => DeleteQuietly(pending);

    private void WritePointer(string workflow, string task, string key)
    {
        System.IO.Directory.CreateDirectory(LastRoot);
        var pointer = Path.Combine(LastRoot, ContentHash.Of(workflow + "\0" + task));
        var temp = pointer + "." + Guid.NewGuid().ToString("n");
        File.WriteAllText(temp, key + "\n");
        File.Move(temp, pointer, overwrite: true);
    }

    /// <summary>Every entry with its size and last use, oldest use first.</summary>
    public IReadOnlyList<CacheUsage> Entries()
    {
        var list = new List<CacheUsage>();
        if (!System.IO.Directory.Exists(Root)) return list;
        foreach (var shard in System.IO.Directory.EnumerateDirectories(Root))
        {
            var name = Path.GetFileName(shard);
            if (name.Length != 2) continue; // tmp/ and last/
            foreach (var entry in System.IO.Directory.EnumerateDirectories(shard))
            {
                try
                {
                    var size = new DirectoryInfo(entry).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
                    list.Add(new CacheUsage(Path.GetFileName(entry), entry, size, System.IO.Directory.GetLastWriteTimeUtc(entry)));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* removed meanwhile by another prune */ }
            }
        }
        return list.OrderBy(e => e.LastUsed).ToList();
    }

    /// <summary>
    /// Removes least recently used entries until the cache holds at most <paramref name="maxBytes"/>,
    /// and entries unused for longer than <paramref name="olderThan"/>; also leftovers of writes that
    /// died half-way (over an hour old).
    /// </summary>
    /// <param name="dryRun">Only count what would be removed.</param>
    public PruneResult Prune(long? maxBytes, TimeSpan? olderThan = null, bool dryRun = false)
    {
        var entries = Entries();
        var total = entries.Sum(e => e.Bytes);
        long removedBytes = 0;
        var removed = 0;
        var cutoff = olderThan is { } age ? DateTime.UtcNow - age : DateTime.MinValue;
        foreach (var e in entries)
        {
            var tooBig = maxBytes is { } max && total - removedBytes > max;
            if (!tooBig && e.LastUsed >= cutoff) continue;
            if (!dryRun) RemoveEntry(e.Directory);
            removedBytes += e.Bytes;
            removed++;
        }
        if (!dryRun && System.IO.Directory.Exists(TempRoot))
            foreach (var stale in System.IO.Directory.EnumerateDirectories(TempRoot))
                if (System.IO.Directory.GetLastWriteTimeUtc(stale) < DateTime.UtcNow.AddHours(-1)) DeleteQuietly(stale);
        return new PruneResult(removed, removedBytes, entries.Count - removed, total - removedBytes);
    }

    /// <summary>Removes every entry.</summary>
    public PruneResult Clear() => Prune(maxBytes: 0);

    /// <summary>Renamed away before it is deleted, so a reader never finds half an entry.</summary>
    private void RemoveEntry(string directory)
    {
        System.IO.Directory.CreateDirectory(TempRoot);
        var trash = Path.Combine(TempRoot, "removed-" + Guid.NewGuid().ToString("n"));
        try { System.IO.Directory.Move(directory, trash); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; } // gone already
        DeleteQuietly(trash);
    }

    private static void DeleteQuietly(string directory)
    {
        try { System.IO.Directory.Delete(directory, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* the next prune tries again */ }
    }
}

/// <summary>One entry's key, folder, bytes on disk and last use.</summary>
public sealed record CacheUsage(string Key, string Directory, long Bytes, DateTime LastUsed);

/// <summary>What a prune removed and what is left.</summary>
public sealed record PruneResult(int Removed, long RemovedBytes, int Left, long LeftBytes);
