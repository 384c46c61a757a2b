using System.ComponentModel;

namespace Pipeline.Engine.Processes.Posix;

/// <summary>
/// A started child: its pid (also its session and process-group id), the read ends of its output
/// pipes and, when the caller asked to hold them, our copies of their write ends (else -1).
/// </summary>
internal readonly record struct SpawnedChild(int Pid, int Stdout, int Stderr, int StdoutWrite = -1, int StderrWrite = -1);

/// <summary>
/// Starts a process with glibc's posix_spawn (vfork and exec, no copy of the engine's address space)
/// in a session of its own (<c>POSIX_SPAWN_SETSID</c>), so one signal to the group reaches everything
/// the task starts. stdin is /dev/null (or the engine's, for an interactive task), stdout and stderr are pipes, every signal is reset to its
/// default and none is blocked (the runtime ignores SIGPIPE; a child must not inherit that). All our
/// descriptors are close-on-exec, so children started side by side never hold each other's pipes.
/// </summary>
internal static unsafe class PosixSpawn
{
    private static readonly byte[] DevNull = "/dev/null\0"u8.ToArray();

    /// <param name="stdin">A descriptor to give the child as its stdin (the watchdog's pipe); by default /dev/null.</param>
    /// <param name="fd3">A descriptor to give the child as its descriptor 3 (the watchdog's table); by default none.</param>
    /// <param name="holdWriteEnds">
    /// Keep our copies of the pipes' write ends open (the caller closes them once the child has
    /// exited): then the child's exit does not end its pipes before its exit is seen, which would
    /// wake the monitor once per pipe, while the child is still exiting, instead of once.
    /// </param>
    public static SpawnedChild Start(ProcessSpec spec, int stdin = -1, int fd3 = -1, bool holdWriteEnds = false)
    {
        using var argv = new NativeStrings([spec.FileName, .. spec.Arguments]);
        using var envp = new NativeEnvironment(spec.Inherited ?? InheritedEnvironment.Capture(), spec.Environment);
        using var directory = new NativeStrings([spec.WorkingDirectory]);

        int* stdout = stackalloc int[2];
        int* stderr = stackalloc int[2];
        OpenPipe(stdout);
        try { OpenPipe(stderr); }
        catch { Close(stdout[0], stdout[1]); throw; }

        var attr = stackalloc byte[Libc.OpaqueSize];
        var actions = stackalloc byte[Libc.OpaqueSize];
        var signals = stackalloc byte[Libc.OpaqueSize];
        Libc.posix_spawnattr_init(attr);
        Libc.posix_spawn_file_actions_init(actions);
        try
        {
            Libc.posix_spawnattr_setflags(attr, Libc.PosixSpawnSetSid | Libc.PosixSpawnSetSigDef | Libc.PosixSpawnSetSigMask);
            Libc.sigfillset(signals);
            Libc.posix_spawnattr_setsigdefault(attr, signals);
            Libc.sigemptyset(signals);
            Libc.posix_spawnattr_setsigmask(attr, signals);
            if (stdin >= 0) Libc.posix_spawn_file_actions_adddup2(actions, stdin, 0);
            else if (spec.InheritStdin) { } // descriptor 0 is not close-on-exec: the child reads what the engine reads
            else
                fixed (byte* devNull = DevNull)
                    Libc.posix_spawn_file_actions_addopen(actions, 0, devNull, Libc.ORdOnly, 0);
            Libc.posix_spawn_file_actions_adddup2(actions, stdout[1], 1);
            Libc.posix_spawn_file_actions_adddup2(actions, stderr[1], 2);
            if (fd3 >= 0) Libc.posix_spawn_file_actions_adddup2(actions, fd3, 3);
            Libc.posix_spawn_file_actions_addchdir_np(actions, directory[0]);

            var error = Libc.posix_spawn(out var pid, argv[0], actions, attr, argv.Pointers, envp.Pointers);
            if (error != 0 || !holdWriteEnds) Close(stdout[1], stderr[1]);
            if (error != 0)
            {
                Close(stdout[0], stderr[0]);
                throw new Win32Exception(error, $"cannot start '{spec.FileName}': {new Win32Exception(error).Message}");
            }
            return holdWriteEnds ? new SpawnedChild(pid, stdout[0], stderr[0], stdout[1], stderr[1]) : new SpawnedChild(pid, stdout[0], stderr[0]);
        }
        finally
        {
            Libc.posix_spawn_file_actions_destroy(actions);
            Libc.posix_spawnattr_destroy(attr);
        }
    }

    internal static void OpenPipe(int* fds)
    {
        if (Libc.pipe2(fds, Libc.OCloExec) != 0)
            throw new Win32Exception(System.Runtime.InteropServices.Marshal.GetLastPInvokeError(), "cannot create a pipe for a task's output");
    }

    private static void Close(int a, int b)
    {
        Libc.close(a);
        Libc.close(b);
    }
}
