using System.Runtime.InteropServices;

namespace Pipeline.Engine.Processes.Posix;

/// <summary>A child the reaper watches: completes with its exit code, and can kill its process group until it is reaped.</summary>
internal sealed class WatchedChild
{
    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _gate = new();
    private bool _reaped;

    public WatchedChild(int pid, int pidFd)
    {
        Pid = pid;
        PidFd = pidFd;
    }

    public int Pid { get; }
    internal int PidFd { get; }

    /// <summary>The exit code, or 128 + the signal that ended it (as a shell reports it).</summary>
    public Task<int> Exited => _exit.Task;

    /// <summary>SIGKILL to the whole group. A no-op once the leader is reaped: its pid may then belong to someone else.</summary>
    public void Kill()
    {
        lock (_gate)
            if (!_reaped) Libc.kill(-Pid, Libc.SigKill);
    }

    /// <summary>
    /// Called once the leader has exited. The group is killed while the leader is still a zombie, so
    /// its id cannot have been reused yet; then the leader is reaped.
    /// </summary>
    internal unsafe void Reap()
    {
        int status = 0, result;
        lock (_gate)
        {
            Libc.kill(-Pid, Libc.SigKill);
            do result = Libc.waitpid(Pid, &status, 0);
            while (result < 0 && Marshal.GetLastPInvokeError() == Libc.EIntr);
            _reaped = true;
        }
        Libc.close(PidFd);
        // ECHILD: someone reaped it first (a parent that ignores SIGCHLD makes the runtime reap every
        // child); the status is lost, so the task is reported as failed rather than guessed successful.
        _exit.TrySetResult(result == Pid ? Libc.ExitCode(status) : LostStatus);
    }

    /// <summary>The exit code reported when the child's status was taken by someone else.</summary>
    public const int LostStatus = 255;
}

/// <summary>
/// Waits for the engine's children on one background thread: a pidfd per child (readable once it
/// exits), all polled together with a wake-up pipe for newly added children. A pidfd instead of
/// <c>waitpid(-1)</c> leaves the runtime's own children to the runtime: its SIGCHLD handler only
/// reaps processes it started itself and merely peeks (WNOWAIT) at others, so the two never race.
/// </summary>
internal static unsafe class ChildReaper
{
    private static readonly object Gate = new();
    private static readonly List<WatchedChild> Children = [];
    private static int _wakeRead = -1, _wakeWrite = -1;

    public static WatchedChild Watch(int pid)
    {
        var pidFd = Libc.pidfd_open(pid, 0);
        if (pidFd < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            // Nothing would ever reap or stop it otherwise.
            Libc.kill(-pid, Libc.SigKill);
            int status;
            Libc.waitpid(pid, &status, 0);
            throw new System.ComponentModel.Win32Exception(error, "cannot watch a started process");
        }
        var child = new WatchedChild(pid, pidFd);
        lock (Gate)
        {
            EnsureStarted();
            Children.Add(child);
        }
        byte one = 1;
        Libc.write(_wakeWrite, &one, 1);
        return child;
    }

    /// <summary>Whether pidfds work here (Linux 5.3 or later, and not filtered out by a sandbox).</summary>
    public static bool Probe()
    {
        try
        {
            var fd = Libc.pidfd_open(Environment.ProcessId, 0);
            if (fd < 0) return false;
            Libc.close(fd);
            return true;
        }
        catch (EntryPointNotFoundException) { return false; }
        catch (DllNotFoundException) { return false; }
    }

    private static void EnsureStarted()
    {
        if (_wakeRead >= 0) return;
        int* fds = stackalloc int[2];
        if (Libc.pipe2(fds, Libc.OCloExec | Libc.ONonBlock) != 0)
            throw new System.ComponentModel.Win32Exception(Marshal.GetLastPInvokeError(), "cannot create the child reaper's wake-up pipe");
        _wakeRead = fds[0];
        _wakeWrite = fds[1];
        new Thread(Loop) { IsBackground = true, Name = "pipeline child reaper" }.Start();
    }

    private static void Loop()
    {
        var polled = new Libc.PollFd[16];
        var owners = new WatchedChild?[16];
        var buffer = stackalloc byte[64];
        while (true)
        {
            int count;
            lock (Gate)
            {
                count = Children.Count + 1;
                if (polled.Length < count)
                {
                    Array.Resize(ref polled, count * 2);
                    Array.Resize(ref owners, count * 2);
                }
                polled[0] = new Libc.PollFd { Fd = _wakeRead, Events = Libc.PollIn };
                for (var i = 1; i < count; i++)
                {
                    owners[i] = Children[i - 1];
                    polled[i] = new Libc.PollFd { Fd = owners[i]!.PidFd, Events = Libc.PollIn };
                }
            }

            int ready;
            fixed (Libc.PollFd* p = polled) ready = Libc.poll(p, (nuint)count, -1);
            if (ready < 0) continue; // EINTR: poll again

            if (polled[0].Revents != 0)
                while (Libc.read(_wakeRead, buffer, 64) > 0) { }
            for (var i = 1; i < count; i++)
            {
                if (polled[i].Revents == 0) continue;
                var child = owners[i]!;
                lock (Gate) Children.Remove(child);
                child.Reap();
                owners[i] = null;
            }
        }
    }
}
