namespace Pipeline.Engine.Processes.Posix;

/// <summary>
/// The sessions of the processes one scan of /proc found, so the next scan reads the stat of new
/// processes only (the session sweeper scans every few tasks; reading every process's stat each
/// time was most of its cost). A process is named by its pid and the inode number of its /proc
/// directory: /proc gives a new number when a pid is used again (and when it has dropped the entry
/// from its cache, which only costs a read). Remembering a process's session is safe because a
/// process never joins a session it was not in: it can only start a new one of its own (setsid),
/// with its own pid as the id, which no task's session can have while the task's leader holds that pid.
/// </summary>
internal sealed class SessionCache
{
    private Dictionary<(int Pid, ulong Inode), int> _sessions = [];
    private Dictionary<(int Pid, ulong Inode), int> _next = [];

    /// <summary>Stands for the session of a process that was there before the first task started: none of theirs.</summary>
    public const int BeforeAnyTask = -1;

    /// <summary>
    /// A process that was there before the engine started its first task: its session is not a
    /// task's, and never becomes one, so its stat need not be read (the first sweep of a run read
    /// every process's, three milliseconds at the end of a one-task run).
    /// </summary>
    public void Seed((int Pid, ulong Inode) process) => _sessions[process] = BeforeAnyTask;

    /// <summary>The session read before for this very process, if any.</summary>
    public bool TryGet((int Pid, ulong Inode) process, out int session) => _sessions.TryGetValue(process, out session);

    /// <summary>Keeps a process seen by the current scan, with its session, for the next one.</summary>
    public void Keep((int Pid, ulong Inode) process, int session) => _next[process] = session;

    /// <summary>Ends a scan: what it did not see is gone.</summary>
    public void EndScan()
    {
        (_sessions, _next) = (_next, _sessions);
        _next.Clear();
    }
}
