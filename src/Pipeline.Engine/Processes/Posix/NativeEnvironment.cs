using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Pipeline.Engine.Processes.Posix;

/// <summary>
/// The envp of one process in one native block: pointers into an <see cref="InheritedEnvironment"/>'s
/// ready-made strings for the variables the spec leaves alone, then the spec's own variables (a null
/// value removes one), encoded after the pointer table. Only the task's own variables are copied.
/// </summary>
internal sealed unsafe class NativeEnvironment : IDisposable
{
    private readonly InheritedEnvironment _inherited; // its pinned strings must outlive the spawn
    private void* _block;

    public NativeEnvironment(InheritedEnvironment inherited, IReadOnlyDictionary<string, string?> overrides)
    {
        _inherited = inherited;
        Span<bool> replaced = inherited.Count <= 1024 ? stackalloc bool[inherited.Count] : new bool[inherited.Count];
        var count = inherited.Count;
        nuint bytes = 0;
        foreach (var (name, value) in overrides)
        {
            var at = inherited.IndexOf(name);
            if (at >= 0 && !replaced[at])
            {
                replaced[at] = true;
                count--;
            }
            if (value is null || !InheritedEnvironment.IsPassable(name)) continue;
            count++;
            bytes += (nuint)(Encoding.UTF8.GetByteCount(name) + Encoding.UTF8.GetByteCount(value) + 2);
        }

        var table = (nuint)(sizeof(byte*) * (count + 1));
        _block = NativeMemory.Alloc(table + bytes);
        var pointers = (byte**)_block;
        var n = 0;
        var strings = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(inherited.Block)); // pinned: never moves
        for (var i = 0; i < inherited.Count; i++)
            if (!replaced[i]) pointers[n++] = strings + inherited.OffsetOf(i);

        var next = (byte*)_block + table;
        var end = next + bytes;
        foreach (var (name, value) in overrides)
        {
            if (value is null || !InheritedEnvironment.IsPassable(name)) continue;
            pointers[n++] = next;
            next += Encoding.UTF8.GetBytes(name, new Span<byte>(next, (int)(end - next)));
            *next++ = (byte)'=';
            next += Encoding.UTF8.GetBytes(value, new Span<byte>(next, (int)(end - next)));
            *next++ = 0;
        }
        pointers[n] = null;
    }

    public byte** Pointers => (byte**)_block;

    public void Dispose()
    {
        if (_block is null) return;
        NativeMemory.Free(_block);
        _block = null;
        GC.KeepAlive(_inherited);
    }
}
