using System.Runtime.InteropServices;
using Pipeline.Engine.Events;

namespace Pipeline.Engine.Processes.Posix;

/// <summary>
/// A started child as <see cref="ChildMonitor"/> follows it: its pidfd and two output pipes, all
/// handled on the monitor's thread, and two tasks: <see cref="Exited"/> once the leader is reaped,
/// <see cref="Completed"/> once, in addition, both pipes are at their end.
/// </summary>
internal sealed class WatchedChild
{
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Continuations run on the monitor's thread, where the child completes (see ChildMonitor).
    private readonly TaskCompletionSource<int> _completed = new();
    private readonly Action<OutputStream, string> _onLine;
    private readonly object _gate = new();
    private bool _reaped, _killed;
    private int _remaining = 3; // the pidfd and two pipes
    private Exception? _error;

    public WatchedChild(long id, SpawnedChild started, int pidFd, Action<OutputStream, string> onLine)
    {
        // kill(-pid) with pid 0 or 1 would signal our own group or every process: never let that through.
        if (started.Pid <= 1) throw new ArgumentOutOfRangeException(nameof(started), started.Pid, "not a child process id");
        Id = id;
        Pid = started.Pid;
        PidFd = pidFd;
        Pipes = [started.Stdout, started.Stderr];
        Splitters = [new LineSplitter(OutputStream.Stdout), new LineSplitter(OutputStream.Stderr)];
        _onLine = onLine;
    }

    public long Id { get; }
    public int Pid { get; }
    public int PidFd { get; }

    /// <summary>The read ends of stdout and stderr; -1 once closed.</summary>
    public int[] Pipes { get; }

    public LineSplitter[] Splitters { get; }

    /// <summary>The exit code, or 128 + the signal that ended it (as a shell reports it).</summary>
    public Task<int> Exited => _exited.Task;

    /// <summary>The exit code once every line of output has been delivered; faults if delivering one threw.</summary>
    public Task<int> Completed => _completed.Task;

    /// <summary>SIGTERM to the whole session: the polite first step of stopping it. A no-op once the leader is reaped.</summary>
    public void Terminate() => Signal(Libc.SigTerm);

    /// <summary>SIGKILL to the whole session. A no-op once the leader is reaped: its pid may then belong to someone else.</summary>
    public void Kill() => Signal(Libc.SigKill);

    /// <summary>The signal to the group, and to the rest of the session (what job control moved to other groups).</summary>
    private void Signal(int signal)
    {
        lock (_gate)
        {
            _killed = true;
            if (_reaped) return;
            Libc.kill(-Pid, signal);
            try { Sessions.Signal(new HashSet<int> { Pid }, signal); }
            catch (Exception) { /* best effort: the group has it */ }
        }
    }

    /// <summary>
    /// Called once the leader has exited. The group is killed while the leader is still a zombie, so
    /// its id cannot have been reused yet, and the exit status is read without reaping it: the
    /// <see cref="SessionSweeper"/> reaps it after killing what is left of the session.
    /// </summary>
    /// <returns>Whether the child was killed (cancelled): its output need not be waited for.</returns>
    public unsafe bool Exit()
    {
        int result;
        bool killed;
        var info = stackalloc byte[Libc.SigInfoSize];
        lock (_gate)
        {
            Libc.kill(-Pid, Libc.SigKill);
            do result = Libc.waitid(Libc.PPid, Pid, info, Libc.WExited | Libc.WNoWait);
            while (result < 0 && Marshal.GetLastPInvokeError() == Libc.EIntr);
            if (result < 0) _reaped = true; // nothing left to reap
            killed = _killed;
        }
        // ECHILD: someone reaped it first (a parent that ignores SIGCHLD makes the runtime reap every
        // child); the status is lost, so the task is reported as failed rather than guessed successful.
        _exited.TrySetResult(result == 0 ? Libc.ExitCode(info) : LostStatus);
        return killed;
    }

    /// <summary>Reaps the leader's zombie (after the sweep). Its pid may then belong to someone else: no more signals.</summary>
    public unsafe void Reap()
    {
        lock (_gate)
        {
            if (_reaped) return;
            int status, result;
            do result = Libc.waitpid(Pid, &status, 0);
            while (result < 0 && Marshal.GetLastPInvokeError() == Libc.EIntr);
            _reaped = true;
        }
    }

    /// <summary>The exit code reported when the child's status was taken by someone else.</summary>
    public const int LostStatus = 255;

    /// <summary>Hands a line to the caller; a throwing callback fails the run of this child, not the monitor.</summary>
    public void Emit(OutputStream stream, string line)
    {
        if (_error is not null) return;
        try { _onLine(stream, line); }
        catch (Exception e) { _error = e; }
    }

    public void Fail(Exception error) => _error ??= error;

    /// <summary>One of the three descriptors is done; the last one completes the child.</summary>
    /// <returns>True when the child is complete.</returns>
    public bool Done()
    {
        if (Interlocked.Decrement(ref _remaining) != 0) return false;
        if (_error is not null) _completed.TrySetException(_error);
        else _completed.TrySetResult(_exited.Task.Result);
        return true;
    }
}
