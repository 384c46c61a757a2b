using System.Runtime.InteropServices;
using Pipeline.Engine.Events;

namespace Pipeline.Engine.Processes.Posix;

/// <summary>
/// Follows every child the engine starts from one background thread, as ninja does: one epoll set
/// holds each child's pidfd (readable once it exits) and the read ends of its stdout and stderr.
/// The thread reads output as it arrives, splits it into lines for the caller, and reaps children.
/// One thread and no per-pipe stream objects keep a short task to a couple of thread switches.
/// The code awaiting a child's end goes on running on this thread, up to its next wait (in a chain
/// of tasks, the start of the next task's process, as make does): handing it to the thread pool
/// cost a thread switch per task and woke a second pool thread for nothing, CPU taken from the next
/// task's process on a small machine (a 300-task chain took a fifth longer). Work that may take
/// long moves off it first (<see cref="MonitorThread.Leave"/>), so the other children's output
/// keeps being read.
/// A pidfd instead of <c>waitpid(-1)</c> leaves the runtime's own children to the runtime: its
/// SIGCHLD handler reaps only processes it started and merely peeks (WNOWAIT) at others.
/// </summary>
internal static unsafe class ChildMonitor
{
    private const int PidFdSlot = 0, StdoutSlot = 1, StderrSlot = 2;
    private const int BufferSize = 64 * 1024;
    private static readonly object Gate = new();
    private static readonly Dictionary<long, WatchedChild> Children = [];
    private static long _lastId;
    private static int _epoll = -1;

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

    /// <summary>Starts following a child just spawned; its pipes now belong to the monitor.</summary>
    public static WatchedChild Watch(SpawnedChild started, Action<OutputStream, string> onLine)
    {
        var pidFd = Libc.pidfd_open(started.Pid, 0);
        if (pidFd < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            Abandon(started);
            throw new System.ComponentModel.Win32Exception(error, "cannot watch a started process");
        }

        WatchedChild child;
        lock (Gate)
        {
            EnsureStarted();
            child = new WatchedChild(++_lastId, started, pidFd, onLine);
            Children[child.Id] = child;
        }
        if (!Add(pidFd, child.Id, PidFdSlot))
        {
            var error = Marshal.GetLastPInvokeError();
            lock (Gate) Children.Remove(child.Id);
            Libc.close(pidFd);
            Abandon(started);
            throw new System.ComponentModel.Win32Exception(error, "cannot watch a started process");
        }
        for (var slot = StdoutSlot; slot <= StderrSlot; slot++)
        {
            if (Add(child.Pipes[slot - 1], child.Id, slot)) continue;
            // Its exit is watched, so it will be reaped; this pipe is simply not read.
            var error = new System.ComponentModel.Win32Exception(Marshal.GetLastPInvokeError(), "cannot read a started process's output");
            Libc.close(child.Pipes[slot - 1]);
            child.Pipes[slot - 1] = -1;
            child.Fail(error);
            child.Kill();
            if (child.Done()) lock (Gate) Children.Remove(child.Id);
        }
        return child;
    }

    /// <summary>No way to follow it: kill it and wait for it here, so nothing is left behind.</summary>
    private static void Abandon(SpawnedChild started)
    {
        Libc.kill(-started.Pid, Libc.SigKill);
        Watchdog.Ended(started.Pid);
        int status;
        Libc.waitpid(started.Pid, &status, 0);
        foreach (var fd in (ReadOnlySpan<int>)[started.Stdout, started.Stderr])
            if (fd >= 0) Libc.close(fd);
    }

    private static bool Add(int fd, long id, int slot)
    {
        var ev = stackalloc byte[16];
        Libc.WriteEpollEvent(ev, Libc.EpollIn, (ulong)(id << 2 | (long)slot));
        return Libc.epoll_ctl(_epoll, Libc.EpollCtlAdd, fd, ev) == 0;
    }

    private static void Remove(int fd)
    {
        var ev = stackalloc byte[16];
        Libc.epoll_ctl(_epoll, Libc.EpollCtlDel, fd, ev);
        Libc.close(fd);
    }

    private static void EnsureStarted()
    {
        if (_epoll >= 0) return;
        var epoll = Libc.epoll_create1(Libc.EpollCloExec);
        if (epoll < 0)
            throw new System.ComponentModel.Win32Exception(Marshal.GetLastPInvokeError(), "cannot create the process monitor's epoll set");
        _epoll = epoll;
        new Thread(Loop) { IsBackground = true, Name = "pipeline process monitor" }.Start();
    }

    private static void Loop()
    {
        MonitorThread.Enter();
        const int batch = 64;
        var events = (byte*)NativeMemory.Alloc((nuint)(batch * Libc.EpollEventSize));
        var bytes = new byte[BufferSize];
        var chars = new char[BufferSize + 2];
        while (true)
        {
            var ready = Libc.epoll_wait(_epoll, events, batch, -1);
            for (var i = 0; i < ready; i++) // ready < 0 is EINTR: wait again
            {
                var data = Libc.EpollEventData(events + i * Libc.EpollEventSize);
                WatchedChild? child;
                lock (Gate) Children.TryGetValue((long)(data >> 2), out child);
                if (child is null) continue; // finished earlier in this batch
                var slot = (int)(data & 3);
                try
                {
                    if (slot == PidFdSlot) OnExit(child, chars);
                    else OnReadable(child, slot - 1, bytes, chars);
                }
                catch (Exception e)
                {
                    // Never let one child stop the monitor: fail it, stop it, drop what is left of it.
                    child.Fail(e);
                    child.Kill();
                }
            }
        }
    }

    private static void OnExit(WatchedChild child, char[] chars)
    {
        var killed = child.Exit();
        Remove(child.PidFd); // before anything else: a zombie's pidfd stays readable
        SessionSweeper.Enqueue(child);
        Finished(child);
        // Killed: a process outside the group may still hold a pipe; do not wait for it.
        if (killed)
            for (var pipe = 0; pipe < 2; pipe++)
                if (child.Pipes[pipe] >= 0) Close(child, pipe, chars);
    }

    private static void OnReadable(WatchedChild child, int pipe, byte[] bytes, char[] chars)
    {
        var fd = child.Pipes[pipe];
        if (fd < 0) return; // closed earlier in this batch
        nint read;
        fixed (byte* buffer = bytes) read = Libc.read(fd, buffer, bytes.Length);
        if (read < 0 && Marshal.GetLastPInvokeError() is Libc.EIntr or Libc.EAgain) return;
        if (read > 0)
            child.Splitters[pipe].Feed(bytes.AsSpan(0, (int)read), chars, child.Emit);
        else
            Close(child, pipe, chars);
    }

    private static void Close(WatchedChild child, int pipe, char[] chars)
    {
        child.Splitters[pipe].Finish(chars, child.Emit);
        Remove(child.Pipes[pipe]);
        child.Pipes[pipe] = -1;
        Finished(child);
    }

    private static void Finished(WatchedChild child)
    {
        if (child.Done()) lock (Gate) Children.Remove(child.Id);
    }
}
