namespace Pipeline.Server.Files;

/// <summary>What changed under a watched folder in one batch: relative paths (with <c>/</c>), each listed once.</summary>
public sealed record FileChanges(IReadOnlyList<string> Added, IReadOnlyList<string> Changed, IReadOnlyList<string> Deleted)
{
    public IEnumerable<string> All => Added.Concat(Changed).Concat(Deleted).Order(StringComparer.Ordinal);

    public int Count => Added.Count + Changed.Count + Deleted.Count;
}

/// <summary>How a file changed between two looks at it.</summary>
public enum FileChangeKind { Added, Changed, Deleted }

/// <summary>
/// Changes gathered while a batch is open. A path is listed once with its net change: added then
/// changed is added, added then deleted is nothing, deleted then added is changed.
/// </summary>
internal sealed class PendingChanges
{
    private readonly Dictionary<string, FileChangeKind> _paths = new(StringComparer.Ordinal);

    public bool IsEmpty => _paths.Count == 0;

    public void Add(string path, FileChangeKind kind)
    {
        if (!_paths.TryGetValue(path, out var was)) { _paths[path] = kind; return; }
        switch (was, kind)
        {
            case (FileChangeKind.Added, FileChangeKind.Deleted): _paths.Remove(path); break;
            case (FileChangeKind.Added, _): break;
            case (FileChangeKind.Deleted, FileChangeKind.Added): _paths[path] = FileChangeKind.Changed; break;
            default: _paths[path] = kind; break;
        }
    }

    /// <summary>The batch, keeping only the kinds asked for; empties the pending set.</summary>
    public FileChanges Take(IReadOnlySet<FileChangeKind> kinds)
    {
        List<string> Of(FileChangeKind k) => kinds.Contains(k) ? _paths.Where(p => p.Value == k).Select(p => p.Key).Order(StringComparer.Ordinal).ToList() : [];
        var batch = new FileChanges(Of(FileChangeKind.Added), Of(FileChangeKind.Changed), Of(FileChangeKind.Deleted));
        _paths.Clear();
        return batch;
    }
}
