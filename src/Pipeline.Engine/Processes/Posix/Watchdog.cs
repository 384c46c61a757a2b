using System.Runtime.InteropServices;
using System.Text;

namespace Pipeline.Engine.Processes.Posix;

/// <summary>
/// Makes tasks die with a runner that is killed outright (SIGKILL, the OOM killer, a CI runner
/// killing the job's process group): a small bash process (watchdog.bash), started on the first
/// task in a session of its own so that a kill of our group does not reach it, waits for the end of
/// a pipe only we hold. The live task sessions are kept in a table in memory that it shares (a
/// memfd, its descriptor 3): when the pipe ends because we are gone, it reads the table and stops
/// every process of those sessions (SIGTERM, the grace period, SIGKILL).
/// <para>
/// The table costs one <c>pwrite</c> when a task starts and one when its session is swept, and
/// wakes nobody: the watchdog sleeps in one read until we die. (Lines written down the pipe woke
/// bash twice per task, and bash reads a pipe one byte per system call: a quarter of a millisecond
/// of CPU per task, taken from the tasks themselves on a small machine.) Each session has a
/// fixed-width record in a slot of its own, written in one call, so the table is whole whenever we
/// can die; a swept session's slot is blanked and used again, so the table is as long as the most
/// tasks that ran at once.
/// </para>
/// <para>
/// Why not the parent-death signal: posix_spawn leaves no place to call prctl in the child, so it
/// would take an exec'd shim in front of every task (a whole exec per task, doubling the cost of a
/// short one); it reaches only the leader, not what the leader started; and Linux sends it when
/// the <em>thread</em> that started the child exits, which a thread-pool thread does whenever it
/// is idle. One watchdog per engine costs one process.
/// </para>
/// Where bash is missing, there is no watchdog: resume still stops what a killed run left
/// running (the store records each task's session) before it runs anything again.
/// </summary>
internal static unsafe class Watchdog
{
    /// <summary>
    /// "&lt;session, 10 wide&gt; &lt;grace in seconds, 20 wide&gt;\n"; a free slot is blank. 32 divides
    /// a page, so no record straddles two (a write is cut short by a fatal signal only between pages).
    /// </summary>
    private const int RecordLength = 32;

    private static readonly object Gate = new();
    private static readonly byte[] Name = "pipeline-watchdog\0"u8.ToArray();
    private static readonly Dictionary<int, int> Slots = [];
    private static readonly Stack<int> FreeSlots = new();
    private static int _table = -1, _nextSlot;
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
    public static void Started(int session, TimeSpan grace)
    {
        lock (Gate)
        {
            if (_table < 0) return; // not started (Ensure comes before every spawn), or none here
            if (!Slots.TryGetValue(session, out var slot))
                Slots[session] = slot = FreeSlots.Count > 0 ? FreeSlots.Pop() : _nextSlot++;
            var seconds = (long)Math.Ceiling(Math.Clamp(grace.TotalSeconds, 0, 999_999_999));
            Span<byte> record = stackalloc byte[RecordLength + 1];
            Encoding.ASCII.GetBytes($"{session,10} {seconds,20}\n", record);
            Write(record[..RecordLength], slot);
        }
    }

    /// <summary>A task's session has been swept: nothing of it is left to stop.</summary>
    public static void Ended(int session)
    {
        lock (Gate)
        {
            if (_table < 0 || !Slots.Remove(session, out var slot)) return;
            Span<byte> blank = stackalloc byte[RecordLength];
            blank.Fill((byte)' ');
            blank[^1] = (byte)'\n';
            Write(blank, slot);
            FreeSlots.Push(slot);
        }
    }

    private static void Write(ReadOnlySpan<byte> record, int slot)
    {
        fixed (byte* b = record)
        {
            nint n;
            do n = Libc.pwrite(_table, b, record.Length, (long)slot * RecordLength);
            while (n < 0 && Marshal.GetLastPInvokeError() == Libc.EIntr);
            // A record lies within one page of a memory file: it is written whole or, with no
            // memory left, not at all; then that session is simply not stopped if we die.
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

        int table;
        fixed (byte* name = Name) table = Libc.memfd_create(name, Libc.MfdCloExec);
        if (table < 0) return;
        var fds = stackalloc int[2];
        try { PosixSpawn.OpenPipe(fds); } // both ends close-on-exec: no task inherits the write end
        catch (Exception)
        {
            Libc.close(table);
            return;
        }
        try
        {
            // dup2 in the child clears close-on-exec on its stdin and descriptor 3, so only the watchdog keeps them.
            // The C locale: it handles numbers only, and bash loading the user's locale files cost
            // more than its script's start, beside the run's first tasks.
            var child = PosixSpawn.Start(new ProcessSpec(bash, ["-c", script, "pipeline-watchdog"], "/", new Dictionary<string, string?> { ["LC_ALL"] = "C" }),
                stdin: fds[0], fd3: table);
            Libc.close(child.Stdout); // it sends its output to /dev/null first thing
            Libc.close(child.Stderr);
            ProcessId = child.Pid;
            _table = table;
            // fds[1] stays open and is never written: it ends when we do, and that wakes the watchdog.
        }
        catch (Exception)
        {
            Libc.close(fds[1]);
            Libc.close(table);
        }
        finally
        {
            Libc.close(fds[0]);
        }
    }
}
