namespace Pipeline.Engine.Processes.Posix;

/// <summary>
/// Every process of a task's session, not only of its process group. Each task starts a session of
/// its own, so its session id is the leader's pid; but job control (<c>set -m</c>, an interactive
/// shell, a program calling setpgid) moves background jobs into other groups of that session, where
/// <c>kill(-pgid)</c> does not reach them. Linux has no "signal a session" call, so the members are
/// found in <c>/proc/&lt;pid&gt;/stat</c> and signalled through a pidfd after reading the session
/// again, so a pid reused between the scan and the signal is never hit. Only a process that calls
/// <c>setsid</c> itself leaves the session, and with it the task (as documented).
/// </summary>
internal static unsafe class Sessions
{
    /// <summary>Sends <paramref name="signal"/> to every live process of each session but the leaders (signalled through their group).</summary>
    /// <param name="known">The sessions an earlier scan read, kept up to date: only new processes and members are read again.</param>
    /// <returns>How many processes were signalled.</returns>
    public static int Signal(IReadOnlySet<int> sessions, int signal, long notBefore = 0, SessionCache? known = null)
    {
        if (sessions.Count == 0) return 0;
        var signalled = 0;
        foreach (var process in ProcStat.ProcessEntries())
        {
            var pid = process.Pid;
            if (sessions.Contains(pid)) continue; // a leader: its group gets the signal, and its zombie holds the id
            if (known is not null && known.TryGet(process, out var session) && !sessions.Contains(session))
            {
                known.Keep(process, session); // in no session of these, and it cannot join one
                continue;
            }
            if (ProcStat.Read(pid) is not { } stat) continue;
            known?.Keep(process, stat.Session);
            if (!sessions.Contains(stat.Session) || stat.State == (byte)'Z' || stat.StartTicks < notBefore) continue;
            if (SignalExactly(pid, stat, signal)) signalled++;
        }
        known?.EndScan();
        return signalled;
    }

    /// <summary>The live members of one session (the leader too), with their start times.</summary>
    public static List<(int Pid, long StartTicks)> Members(int session)
    {
        var members = new List<(int, long)>();
        foreach (var pid in ProcStat.ProcessIds())
            if (ProcStat.Read(pid) is { } stat && stat.Session == session && stat.State != (byte)'Z')
                members.Add((pid, stat.StartTicks));
        return members;
    }

    /// <summary>Signals the process only if it is still the one that was read (same session and start time).</summary>
    public static bool SignalExactly(int pid, ProcStat expected, int signal)
    {
        var pidFd = Libc.pidfd_open(pid, 0);
        if (pidFd < 0) return false; // gone already
        try
        {
            // The pidfd pins this very process: if the pid was reused since the scan, the stat no longer matches.
            return ProcStat.Read(pid) is { } now && now.Session == expected.Session && now.StartTicks == expected.StartTicks
                && Libc.pidfd_send_signal(pidFd, signal, null, 0) == 0;
        }
        finally { Libc.close(pidFd); }
    }
}
