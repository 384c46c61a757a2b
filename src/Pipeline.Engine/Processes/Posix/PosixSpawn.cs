using System.ComponentModel;

namespace Pipeline.Engine.Processes.Posix;

/// <summary>
/// A started child: its pid (also its session and process-group id) and the read ends of its output pipes.
/// </summary>
internal readonly record struct SpawnedChild(int Pid, int Stdout, int Stderr);

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
    /// <remarks>
    /// The write ends are closed here as soon as the child has them. Holding them until the child's
    /// exit was seen saved the monitor a wake-up per pipe in a chain of tasks, but with tasks side by
    /// side it cost more than it saved: every child spawned meanwhile holds copies of them until its
    /// exec closes them, so a task's end waited for another task's exec, and the monitor, woken
    /// once more by that exec, took the CPU from the new child (2,000 short tasks at 2 slots took 9%
    /// longer with them).
    /// </remarks>
    public static SpawnedChild Start(ProcessSpec spec, int stdin = -1, int fd3 = -1)
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
            Close(stdout[1], stderr[1]);
            if (error != 0)
            {
                Close(stdout[0], stderr[0]);
                throw new Win32Exception(error, $"cannot start '{spec.FileName}': {new Win32Exception(error).Message}");
            }
            return new SpawnedChild(pid, stdout[0], stderr[0]);
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
