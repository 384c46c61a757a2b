namespace Pipeline.Engine.Processes;

/// <summary>Signals to one process by pid, for the callers outside the launcher (a concurrency policy stopping another run).</summary>
public static class Signals
{
    /// <summary>Sends SIGTERM to <paramref name="pid"/> (never to 0, 1 or a negative pid: those name groups or every process); false when it could not.</summary>
    public static bool Terminate(int pid) => pid > 1 && !OperatingSystem.IsWindows() && Posix.Libc.kill(pid, Posix.Libc.SigTerm) == 0;
}
