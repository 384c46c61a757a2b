namespace Pipeline.Engine.Processes.Posix;

/// <summary>What the engine reads of /proc/&lt;pid&gt;/stat: the state, the session and the start time (clock ticks since boot).</summary>
internal readonly record struct ProcStat(byte State, int Session, long StartTicks)
{
    /// <summary>The numeric entries of /proc.</summary>
    public static IEnumerable<int> ProcessIds() => ProcessEntries().Select(e => e.Pid);

    private static readonly byte[] Proc = "/proc\0"u8.ToArray();

    /// <summary>
    /// The numeric entries of /proc with their inode numbers, read with getdents64 (no string per
    /// entry, no stat). /proc gives each process's directory an inode number of its own, new when a
    /// pid is used again, so the pair names one process (see <see cref="SessionCache"/>).
    /// </summary>
    public static unsafe List<(int Pid, ulong Inode)> ProcessEntries()
    {
        var entries = new List<(int, ulong)>(256);
        int fd;
        fixed (byte* path = Proc) fd = Libc.open(path, Libc.ORdOnly | Libc.OCloExec);
        if (fd < 0) return entries;
        const int size = 32 * 1024;
        var buffer = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc(size);
        try
        {
            nint read;
            while ((read = Libc.getdents64(fd, buffer, size)) > 0)
                // struct linux_dirent64: u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type, char d_name[]
                for (nint at = 0; at < read;)
                {
                    var entry = buffer + at;
                    var length = *(ushort*)(entry + 16);
                    var name = new ReadOnlySpan<byte>(entry + 19, length - 19);
                    name = name[..Math.Max(0, name.IndexOf((byte)0))];
                    if (int.TryParse(name, System.Globalization.NumberStyles.None, null, out var pid) && pid > 1)
                        entries.Add((pid, *(ulong*)entry));
                    at += length;
                }
        }
        finally
        {
            System.Runtime.InteropServices.NativeMemory.Free(buffer);
            Libc.close(fd);
        }
        return entries;
    }

    /// <summary>Reads one process's stat with plain system calls (a scan reads hundreds); null when it is gone.</summary>
    public static unsafe ProcStat? Read(int pid)
    {
        Span<byte> path = stackalloc byte[32];
        var length = System.Text.Encoding.ASCII.GetBytes($"/proc/{pid}/stat", path);
        path[length] = 0;
        int fd;
        fixed (byte* p = path) fd = Libc.open(p, Libc.ORdOnly | Libc.OCloExec);
        if (fd < 0) return null;
        var buffer = stackalloc byte[1024];
        nint read;
        try { read = Libc.read(fd, buffer, 1024); }
        finally { Libc.close(fd); }
        return read <= 0 ? null : Parse(new ReadOnlySpan<byte>(buffer, (int)read));
    }

    /// <summary>
    /// Fields are counted after the command name, which may itself hold spaces and parentheses:
    /// ") state ppid pgrp session ... starttime" has the session 4th and the start time 20th.
    /// </summary>
    internal static ProcStat? Parse(ReadOnlySpan<byte> text)
    {
        var close = text.LastIndexOf((byte)')');
        if (close < 0) return null;
        var rest = text[(close + 1)..];
        byte state = 0;
        var session = 0;
        for (var field = 0; field < 20; field++)
        {
            rest = rest.TrimStart((byte)' ');
            var end = rest.IndexOfAny((byte)' ', (byte)'\n');
            var value = end < 0 ? rest : rest[..end];
            if (value.IsEmpty) return null;
            switch (field)
            {
                case 0: state = value[0]; break;
                case 3: if (!int.TryParse(value, out session)) return null; break;
                case 19: return long.TryParse(value, out var start) ? new ProcStat(state, session, start) : null;
            }
            if (end < 0) return null;
            rest = rest[end..];
        }
        return null;
    }
}
