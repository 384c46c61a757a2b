using System.Diagnostics;

namespace Pipeline.Engine.Processes.Posix;

/// <summary>
/// After a task's leader exits, what it left in its session outside its process group is killed
/// (<see cref="Sessions"/>), and only then is the leader reaped: until then its zombie keeps the
/// session id from being given to another process. A scan of /proc that reads every process's
/// stat costs about a millisecond, more than a short task itself: scans read only the processes
/// new since the last one (<see cref="SessionCache"/>), and they are batched on a thread of their
/// own and spaced out (at least <see cref="MinimumRest"/> apart, and at most a twentieth of that
/// thread's time goes to them): a
/// chain of short tasks pays a scan every few tasks, not one per task beside the next task's start,
/// and no task waits for one, since its exit code was read without reaping (waitid with WNOWAIT).
/// A run waits for <see cref="WhenIdle"/> before it reports its end, so nothing outlives it; a
/// waiting run cuts the rest short, so its end is not delayed.
/// </summary>
internal static class SessionSweeper
{
    private static readonly object Gate = new();
    private static List<WatchedChild> _pending = [];
    private static TaskCompletionSource _idle = Completed();
    private static bool _started, _busy, _hurry, _idleWait;

    /// <summary>What the last scan read of each process (only this thread scans with it).</summary>
    private static readonly SessionCache Known = new();

    /// <summary>The shortest rest between two scans while tasks keep ending.</summary>
    internal static readonly TimeSpan MinimumRest = TimeSpan.FromMilliseconds(50);

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }

    private static volatile bool _seeded;

    /// <summary>
    /// Called before every spawn: the first call notes the processes there before any task (one
    /// listing of /proc, no stat read), so sweeps skip them. Every spawn comes after it returns, so
    /// no task's process is among them.
    /// </summary>
    public static void BeforeSpawn()
    {
        if (_seeded) return;
        lock (Gate)
        {
            if (_seeded) return;
            foreach (var process in ProcStat.ProcessEntries()) Known.Seed(process);
            _seeded = true;
        }
    }

    /// <summary>Hands over a child whose leader has exited (a zombie, not yet reaped).</summary>
    public static void Enqueue(WatchedChild child)
    {
        lock (Gate)
        {
            if (_idle.Task.IsCompleted) _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _pending.Add(child);
            if (!_started)
            {
                _started = true;
                new Thread(Loop) { IsBackground = true, Name = "pipeline session sweeper" }.Start();
            }
            // Only a sweeper waiting for work is woken: one resting between scans would wake, see its
            // rest not over and sleep again, a thread switch per task ended.
            if (_idleWait) Monitor.Pulse(Gate);
        }
    }

    /// <summary>Completes once every child handed over so far has been swept and reaped.</summary>
    public static Task WhenIdle()
    {
        lock (Gate)
        {
            if (_pending.Count == 0 && !_busy) return Task.CompletedTask;
            _hurry = true; // someone waits: no rest before the next scan
            Monitor.PulseAll(Gate);
            return _idle.Task;
        }
    }

    private static void Loop()
    {
        while (true)
        {
            List<WatchedChild> batch;
            lock (Gate)
            {
                _idleWait = true;
                while (_pending.Count == 0) Monitor.Wait(Gate);
                _idleWait = false;
                batch = _pending;
                _pending = [];
                _busy = true;
            }
            var clock = Stopwatch.StartNew();
            try
            {
                var sessions = batch.Select(c => c.Pid).ToHashSet();
                // Again while any was found: one may have forked before its SIGKILL landed.
                for (var round = 0; round < 5 && Sessions.Signal(sessions, Libc.SigKill, known: Known) > 0; round++) { }
            }
            catch (Exception) { /* best effort: the leaders are reaped whatever happens */ }
            foreach (var child in batch)
            {
                Watchdog.Ended(child.Pid);
                child.Reap();
            }
            lock (Gate)
            {
                _busy = false;
                if (_pending.Count == 0) _idle.TrySetResult();
                // Only a waiting run (or the time) ends the rest.
                var rest = TimeSpan.FromTicks(Math.Max(MinimumRest.Ticks, clock.Elapsed.Ticks * 19));
                var until = Stopwatch.GetTimestamp() + (long)(rest.TotalSeconds * Stopwatch.Frequency);
                while (!_hurry)
                {
                    // Read the clock once: checked and then read again, the time left could be negative
                    // (which Monitor.Wait refuses, killing this thread and the process with it).
                    var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), until);
                    if (left <= TimeSpan.Zero) break;
                    Monitor.Wait(Gate, left);
                }
                _hurry = false;
            }
        }
    }
}
