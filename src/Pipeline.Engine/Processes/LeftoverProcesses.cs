using Pipeline.Engine.Processes.Posix;

namespace Pipeline.Engine.Processes;

/// <summary>A process that a task of an interrupted run started and that still runs.</summary>
public sealed record LeftoverProcess(int Pid, int Session);

/// <summary>
/// What a runner that died without clean-up (SIGKILL, a crash, a power cut of the runner only) left
/// running, found from the sessions recorded with its tasks, and stopped before anything is run
/// again so two copies of a task never overlap. A session is the task's only while its leader is
/// the recorded process, or, once the leader is gone, for members that started after it did (the
/// session id stays taken while any member lives, so it cannot belong to someone else then).
/// Linux only (pidfds and /proc); elsewhere nothing is found, and the watchdog does not exist either.
/// </summary>
public static class LeftoverProcesses
{
    /// <param name="session">The task's recorded process id, which is its session id.</param>
    /// <param name="identity">Its recorded <see cref="ProcessIdentity"/>.</param>
    public static IReadOnlyList<LeftoverProcess> Find(int session, string? identity)
    {
        if (!PosixLauncher.IsSupported || session <= 1 || ProcessIdentity.TicksInThisBoot(identity) is not { } started) return [];
        if (ProcStat.Read(session) is { State: not (byte)'Z' } leader && leader.StartTicks != started) return []; // the pid is someone else's now
        return Sessions.Members(session).Where(m => m.StartTicks >= started).Select(m => new LeftoverProcess(m.Pid, session)).ToList();
    }

    /// <summary>SIGTERM to each, then SIGKILL to those still there after <paramref name="grace"/>.</summary>
    /// <returns>How many had to be killed after the grace period.</returns>
    public static async Task<int> StopAsync(IReadOnlyCollection<LeftoverProcess> processes, TimeSpan grace, CancellationToken cancellationToken = default)
    {
        if (processes.Count == 0) return 0;
        var stats = processes.Select(p => (p.Pid, Stat: ProcStat.Read(p.Pid))).Where(p => p.Stat is not null).Select(p => (p.Pid, Stat: p.Stat!.Value)).ToList();
        foreach (var (pid, stat) in stats) Sessions.SignalExactly(pid, stat, Libc.SigTerm);
        var deadline = DateTime.UtcNow + grace;
        while (DateTime.UtcNow < deadline && stats.Any(s => Alive(s.Pid, s.Stat)) && !cancellationToken.IsCancellationRequested)
            await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
        var killed = 0;
        foreach (var (pid, stat) in stats)
            if (Alive(pid, stat) && Sessions.SignalExactly(pid, stat, Libc.SigKill)) killed++;
        return killed;
    }

    private static bool Alive(int pid, ProcStat was) =>
        ProcStat.Read(pid) is { } now && now.StartTicks == was.StartTicks && now.State != (byte)'Z';
}
