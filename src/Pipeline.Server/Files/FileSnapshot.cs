using Microsoft.Extensions.FileSystemGlobbing;
using Microsoft.Extensions.FileSystemGlobbing.Abstractions;

namespace Pipeline.Server.Files;

/// <summary>
/// The files under a folder that a trigger's globs match, with their size and modification time.
/// Two snapshots compared give the net changes between them, whatever happened in between: this is
/// how both the event mode (events only say "look now") and the polling mode find what changed, and
/// why a burst of events too large for the kernel's buffer loses nothing.
/// </summary>
internal sealed class FileSnapshot
{
    private readonly Dictionary<string, (long Size, DateTime Modified)> _files;

    private FileSnapshot(Dictionary<string, (long, DateTime)> files) => _files = files;

    public int Count => _files.Count;

    public static FileSnapshot Take(string root, Matcher matcher)
    {
        var files = new Dictionary<string, (long, DateTime)>(StringComparer.Ordinal);
        if (!Directory.Exists(root)) return new FileSnapshot(files);
        foreach (var match in matcher.Execute(new DirectoryInfoWrapper(new DirectoryInfo(root))).Files)
        {
            var info = new FileInfo(Path.Combine(root, match.Path));
            try { if (info.Exists) files[match.Path.Replace('\\', '/')] = (info.Length, info.LastWriteTimeUtc); }
            catch (IOException) { } // gone meanwhile: the next look says so
        }
        return new FileSnapshot(files);
    }

    /// <summary>What changed from <paramref name="before"/> to this snapshot, into <paramref name="pending"/>; returns how many paths changed.</summary>
    public int DiffInto(FileSnapshot before, PendingChanges pending)
    {
        var changed = 0;
        foreach (var (path, now) in _files)
        {
            if (!before._files.TryGetValue(path, out var then)) { pending.Add(path, FileChangeKind.Added); changed++; }
            else if (then != now) { pending.Add(path, FileChangeKind.Changed); changed++; }
        }
        foreach (var path in before._files.Keys)
            if (!_files.ContainsKey(path)) { pending.Add(path, FileChangeKind.Deleted); changed++; }
        return changed;
    }
}
