using System.Runtime.InteropServices;

namespace Pipeline.Engine.Processes.Posix;

/// <summary>
/// Every process of a task's session, not only of its process group. Each task starts a session of
/// its own, so its session id is the leader's pid; but job control (<c>set -m</c>, an interactive
/// shell, a program calling setpgid) moves background jobs into other groups of that session, where
/// <c>kill(-pgid)</c> does not reach them. Linux has no "signal a session" call, so the members are
/// found in <c>/proc/&lt;pid&gt;/stat</c> (field 6) and signalled through a pidfd after reading the
/// session again, so a pid reused between the scan and the signal is never hit. Only a process
/// that calls <c>setsid</c> itself leaves the session, and with it the task (as documented).
/// </summary>
internal static unsafe class Sessions
{
    /// <summary>Sends <paramref name="signal"/> to every process of each session but the leaders (signalled through their group).</summary>
    /// <returns>How many processes were signalled.</returns>
    public static int Signal(IReadOnlySet<int> sessions, int signal)
    {
        if (sessions.Count == 0) return 0;
        var signalled = 0;
        var buffer = stackalloc byte[512];
        foreach (var pid in ProcessIds())
        {
            if (sessions.Contains(pid)) continue; // a leader: its group gets the signal, and its zombie holds the id
            if (SessionOf(pid, buffer) is not { } sid || !sessions.Contains(sid)) continue;
            var pidFd = Libc.pidfd_open(pid, 0);
            if (pidFd < 0) continue; // gone already
            try
            {
                // The pidfd pins this very process: if the pid was reused since the scan, the session no longer matches.
                if (SessionOf(pid, buffer) == sid && Libc.pidfd_send_signal(pidFd, signal, null, 0) == 0) signalled++;
            }
            finally { Libc.close(pidFd); }
        }
        return signalled;
    }

    /// <summary>The numeric entries of /proc.</summary>
    private static IEnumerable<int> ProcessIds()
    {
        IEnumerable<string> entries;
        try { entries = Directory.EnumerateDirectories("/proc"); }
        catch (IOException) { yield break; }
        catch (UnauthorizedAccessException) { yield break; }
        foreach (var entry in entries)
            if (int.TryParse(entry.AsSpan(6), System.Globalization.NumberStyles.None, null, out var pid) && pid > 1)
                yield return pid;
    }

    /// <summary>Field 6 of /proc/pid/stat, counted after the command name, which may itself hold spaces and parentheses.</summary>
    private static int? SessionOf(int pid, byte* buffer)
    {
        Span<byte> path = stackalloc byte[32];
        var length = System.Text.Encoding.ASCII.GetBytes($"/proc/{pid}/stat", path);
        path[length] = 0;
        int fd;
        fixed (byte* p = path) fd = Libc.open(p, Libc.ORdOnly | Libc.OCloExec);
        if (fd < 0) return null;
        nint read;
        try { read = Libc.read(fd, buffer, 512); }
        finally { Libc.close(fd); }
        if (read <= 0) return null;
        var text = new ReadOnlySpan<byte>(buffer, (int)read);
        var close = text.LastIndexOf((byte)')');
        if (close < 0) return null;
        // ") S ppid pgrp session ...": the session is the fourth field after the name.
        var rest = text[(close + 1)..];
        for (var field = 0; field < 4; field++)
        {
            rest = rest.TrimStart((byte)' ');
            var end = rest.IndexOf((byte)' ');
            if (end < 0) return null;
            if (field == 3) return int.TryParse(rest[..end], out var sid) ? sid : null;
            rest = rest[end..];
        }
        return null;
    }
}
