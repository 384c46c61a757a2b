namespace Pipeline.Engine.Processes.Posix;

/// <summary>What the engine reads of /proc/&lt;pid&gt;/stat: the state, the session and the start time (clock ticks since boot).</summary>
internal readonly record struct ProcStat(byte State, int Session, long StartTicks)
{
    /// <summary>The numeric entries of /proc.</summary>
    public static IEnumerable<int> ProcessIds()
    {
        IEnumerable<string> entries;
        try { entries = Directory.EnumerateDirectories("/proc"); }
        catch (IOException) { yield break; }
        catch (UnauthorizedAccessException) { yield break; }
        foreach (var entry in entries)
            if (int.TryParse(entry.AsSpan(6), System.Globalization.NumberStyles.None, null, out var pid) && pid > 1)
                yield return pid;
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
