namespace Pipeline.Engine.Processes;

/// <summary>
/// On Unix every task process starts in a session of its own (through <c>setsid</c>), so the task's
/// whole process group can be killed with one signal: the shell, and also what it started in the
/// background (<c>sleep 1000 &amp;</c>), which a parent-child tree walk misses once the shell has exited.
/// </summary>
internal static class ProcessGroup
{
    private const int SigKill = 9, SigTerm = 15;
    private static readonly string? SetsidPath = FindSetsid();

    /// <summary>The setsid program, or null where process groups are not used (Windows, or no setsid).</summary>
    public static string? Setsid => SetsidPath;

    /// <summary>Wraps a process so it leads its own process group. <c>-w</c> keeps the exit code if setsid has to fork.</summary>
    public static ProcessSpec Isolate(ProcessSpec spec) => SetsidPath is null
        ? spec
        : spec with { FileName = SetsidPath, Arguments = ["-w", spec.FileName, .. spec.Arguments] };

    /// <summary>Sends SIGTERM to every process of the group led by <paramref name="leaderPid"/>. Never throws.</summary>
    public static void Terminate(int leaderPid) => Signal(leaderPid, SigTerm);

    /// <summary>Sends SIGKILL to every process of the group led by <paramref name="leaderPid"/>. Never throws.</summary>
    public static void Kill(int leaderPid) => Signal(leaderPid, SigKill);

    /// <remarks>A pid of 0 or 1 would make kill(-pid) signal our own group or every process: refused.</remarks>
    private static void Signal(int leaderPid, int signal)
    {
        if (SetsidPath is null || leaderPid <= 1) return;
        try { _ = Posix.Libc.kill(-leaderPid, signal); }
        catch (Exception) { /* best effort */ }
    }

    private static string? FindSetsid()
    {
        if (OperatingSystem.IsWindows()) return null;
        foreach (var p in new[] { "/usr/bin/setsid", "/bin/setsid", "/usr/local/bin/setsid" })
            if (File.Exists(p)) return p;
        return null;
    }
}
