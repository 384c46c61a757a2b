using System.Runtime.InteropServices;
using System.Text;

namespace Pipeline.Engine.Processes.Posix;

/// <summary>
/// A NULL-terminated array of NUL-terminated UTF-8 strings (argv, envp) in one native block: the
/// pointer table first, the bytes after it. One allocation per array keeps a spawn cheap.
/// </summary>
internal sealed unsafe class NativeStrings : IDisposable
{
    private void* _block;

    public NativeStrings(IReadOnlyList<string> items)
    {
        var table = (nuint)(sizeof(byte*) * (items.Count + 1));
        nuint bytes = 0;
        foreach (var item in items) bytes += (nuint)Encoding.UTF8.GetByteCount(item) + 1;
        _block = NativeMemory.Alloc(table + bytes);

        var pointers = (byte**)_block;
        var next = (byte*)_block + table;
        for (var i = 0; i < items.Count; i++)
        {
            pointers[i] = next;
            var written = Encoding.UTF8.GetBytes(items[i], new Span<byte>(next, (int)(bytes - (nuint)(next - ((byte*)_block + table)))));
            next[written] = 0;
            next += written + 1;
        }
        pointers[items.Count] = null;
    }

    public byte** Pointers => (byte**)_block;

    /// <summary>The first string, for calls that take one path.</summary>
    public byte* this[int index] => Pointers[index];

    public void Dispose()
    {
        if (_block is null) return;
        NativeMemory.Free(_block);
        _block = null;
    }
}
