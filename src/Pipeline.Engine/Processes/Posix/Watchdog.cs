using System.Runtime.InteropServices;
using System.Text;

namespace Pipeline.Engine.Processes.Posix;

/// <summary>
/// Makes tasks die with a runner that is killed outright (SIGKILL, the OOM killer, a CI runner
/// killing the job's process group): a small bash process (watchdog.bash), started on the first
/// task in a session of its own so that a kill of our group does not reach it, reads a pipe only
/// we hold. We tell it which task sessions are live; when the pipe reaches its end because we are
/// gone, it stops every process of those sessions (SIGTERM, the grace period, SIGKILL).
/// <para>
/// Why not the parent-death signal: posix_spawn leaves no place to call prctl in the child, so it
/// would take an exec'd shim in front of every task (a whole exec per task, doubling the cost of a
/// short one); it reaches only the leader, not what the leader started; and Linux sends it when
/// the <em>thread</em> that started the child exits, which a thread-pool thread does whenever it
/// is idle. One watchdog per engine costs one process and two short writes per task.
/// </para>
/// Where bash is missing, there is no watchdog: resume still stops what a killed run left
/// running (the store records each task's session) before it runs anything again.
/// </summary>
internal static unsafe class Watchdog
{
    private static readonly object Gate = new();
    private static int _pipe = -1;
    private static volatile bool _tried;

    /// <summary>The watchdog's process id, or 0 when there is none (for tests and diagnostics).</summary>
    public static int ProcessId { get; private set; }

    /// <summary>
    /// Starts the watchdog if it is not running yet: called before a task is spawned, so the first
    /// tasks are not left unwatched while it starts (a runner killed in that window left them running).
    /// </summary>
    public static void Ensure()
    {
        if (_tried) return;
        lock (Gate) if (!_tried) Start();
    }

    /// <summary>A task's session is live: stop it with this grace period if we die.</summary>
    public static void Started(int session, TimeSpan grace) =>
        Write($"+ {session} {(int)Math.Ceiling(Math.Max(0, grace.TotalSeconds))}\n");

    /// <summary>A task's session has been swept: nothing of it is left to stop.</summary>
    public static void Ended(int session) => Write($"- {session}\n");

    private static void Write(string line)
    {
        lock (Gate)
        {
            if (_pipe < 0) return; // not started (Ensure comes before every spawn), or gone
            Span<byte> bytes = stackalloc byte[64];
            var length = Encoding.ASCII.GetBytes(line, bytes);
            fixed (byte* b = bytes)
            {
                var written = 0;
                while (written < length)
                {
                    var n = Libc.write(_pipe, b + written, length - written);
                    if (n > 0) { written += (int)n; continue; }
                    if (n < 0 && Marshal.GetLastPInvokeError() == Libc.EIntr) continue;
                    // The watchdog is gone (EPIPE): carry on without it.
                    Libc.close(_pipe);
                    _pipe = -1;
                    return;
                }
            }
        }
    }

    private static void Start()
    {
        _tried = true;
        var bash = Executables.Find("bash", new Dictionary<string, string?>());
        if (bash is null) return;
        string script;
        using (var stream = typeof(Watchdog).Assembly.GetManifestResourceStream("Pipeline.Engine.watchdog.bash")!)
        using (var reader = new StreamReader(stream))
            script = reader.ReadToEnd();

        var fds = stackalloc int[2];
        PosixSpawn.OpenPipe(fds); // both ends close-on-exec: no task inherits the write end
        try
        {
            // dup2 in the child clears close-on-exec on its stdin, so only the watchdog keeps the read end.
            var child = PosixSpawn.Start(new ProcessSpec(bash, ["-c", script, "pipeline-watchdog"], "/", new Dictionary<string, string?>()), stdin: fds[0]);
            Libc.close(child.Stdout); // it sends its output to /dev/null first thing

            Libc.close(child.Stderr);
            ProcessId = child.Pid;
            _pipe = fds[1];
        }
        catch (Exception)
        {
            Libc.close(fds[1]);
        }
        finally
        {
            Libc.close(fds[0]);
        }
    }
}
