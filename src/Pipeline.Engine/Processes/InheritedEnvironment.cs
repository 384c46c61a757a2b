using System.Collections;
using System.Text;

namespace Pipeline.Engine.Processes;

/// <summary>
/// The variables a started process inherits, under the ones its <see cref="ProcessSpec"/> sets: read
/// once (a run reads the engine's environment at its start) and kept as ready-made
/// <c>NAME=value</c> strings, so starting a task copies only the variables the task sets. Reading
/// and merging the whole environment for every process was the largest single cost between one
/// task's end and the next one's start in a chain of short tasks (an eighth of the launching
/// thread's time, and most of its garbage).
/// </summary>
/// <remarks>
/// The strings live in one array on the pinned object heap, so the launcher hands pointers into it
/// to <c>posix_spawn</c> without copying or pinning per process. Names that are empty or hold
/// <c>=</c> cannot be passed to a process and are left out.
/// </remarks>
public sealed class InheritedEnvironment
{
    private readonly Dictionary<string, int> _index;
    private readonly int[] _offsets;

    /// <summary>The engine's own environment, read now.</summary>
    public static InheritedEnvironment Capture() => new(ReadEngineVariables());

    /// <summary>The engine's environment variables as they are now (a variable without a value reads as empty).</summary>
    public static Dictionary<string, string> ReadEngineVariables()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
            variables[(string)e.Key] = (string?)e.Value ?? "";
        return variables;
    }

    public InheritedEnvironment(IEnumerable<KeyValuePair<string, string>> variables)
    {
        var unique = new Dictionary<string, string>(StringComparer.Ordinal); // a name given twice: the last value
        foreach (var (name, value) in variables)
            if (IsPassable(name)) unique[name] = value;
        var entries = unique.ToList();
        _index = new Dictionary<string, int>(entries.Count, StringComparer.Ordinal);
        _offsets = new int[entries.Count + 1];
        var size = 0;
        foreach (var (name, value) in entries) size += Encoding.UTF8.GetByteCount(name) + Encoding.UTF8.GetByteCount(value) + 2;
        Block = GC.AllocateUninitializedArray<byte>(size, pinned: true);
        var at = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            var (name, value) = entries[i];
            _index[name] = i;
            _offsets[i] = at;
            at += Encoding.UTF8.GetBytes(name, Block.AsSpan(at));
            Block[at++] = (byte)'=';
            at += Encoding.UTF8.GetBytes(value, Block.AsSpan(at));
            Block[at++] = 0;
        }
        _offsets[entries.Count] = at;
    }

    /// <summary>How many variables are inherited.</summary>
    public int Count => _index.Count;

    /// <summary>Whether a process can be given a variable of this name.</summary>
    public static bool IsPassable(string name) => name.Length > 0 && !name.Contains('=');

    /// <summary>The <c>NAME=value\0</c> strings one after another (pinned: it never moves).</summary>
    internal byte[] Block { get; }

    /// <summary>Where the <paramref name="index"/>th string starts in <see cref="Block"/>.</summary>
    internal int OffsetOf(int index) => _offsets[index];

    /// <summary>The position of a variable, or -1 when it is not inherited.</summary>
    internal int IndexOf(string name) => _index.TryGetValue(name, out var i) ? i : -1;
}
