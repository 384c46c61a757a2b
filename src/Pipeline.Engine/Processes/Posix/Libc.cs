using System.Runtime.InteropServices;

namespace Pipeline.Engine.Processes.Posix;

/// <summary>
/// The glibc calls the Linux launcher needs. Constants are Linux's (the same on x86-64 and arm64);
/// posix_spawn and its helpers return an error number instead of setting errno.
/// </summary>
internal static unsafe partial class Libc
{
    private const string Library = "libc";

    // "libc" alone sent the runtime through some forty file names (liblibc.so, libc.so, ... in each
    // library folder) before it settled on the C library every process has loaded already. glibc's
    // name is tried first; elsewhere (musl) the usual search goes on.
    static Libc()
    {
        if (OperatingSystem.IsLinux()) Interop.NativeLibraries.LoadFirst(typeof(Libc).Assembly, Library, "libc.so.6");
    }

    public const int ORdOnly = 0, ONonBlock = 0x800, OCloExec = 0x80000;
    public const uint MfdCloExec = 1;
    public const short PosixSpawnSetSigDef = 0x04, PosixSpawnSetSigMask = 0x08, PosixSpawnSetSid = 0x80;
    public const int EIntr = 4, EChild = 10, EAgain = 11;
    public const int EpollCloExec = 0x80000, EpollCtlAdd = 1, EpollCtlDel = 2;
    public const uint EpollIn = 0x1;
    public const int SigKill = 9, SigTerm = 15;

    /// <summary>Room for glibc's posix_spawnattr_t (336 bytes), posix_spawn_file_actions_t (80) and sigset_t (128).</summary>
    public const int OpaqueSize = 512;

    /// <summary>struct epoll_event is packed on x86-64 (12 bytes) and naturally aligned elsewhere (16).</summary>
    public static readonly int EpollEventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int EpollDataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    public static void WriteEpollEvent(byte* at, uint events, ulong data)
    {
        *(uint*)at = events;
        *(ulong*)(at + EpollDataOffset) = data;
    }

    public static ulong EpollEventData(byte* at) => *(ulong*)(at + EpollDataOffset);

    [LibraryImport(Library)] public static partial int posix_spawn(out int pid, byte* path, void* fileActions, void* attr, byte** argv, byte** envp);
    [LibraryImport(Library)] public static partial int posix_spawn_file_actions_init(void* actions);
    [LibraryImport(Library)] public static partial int posix_spawn_file_actions_destroy(void* actions);
    [LibraryImport(Library)] public static partial int posix_spawn_file_actions_adddup2(void* actions, int fd, int newFd);
    [LibraryImport(Library)] public static partial int posix_spawn_file_actions_addopen(void* actions, int fd, byte* path, int flags, uint mode);
    [LibraryImport(Library)] public static partial int posix_spawn_file_actions_addchdir_np(void* actions, byte* path);
    [LibraryImport(Library)] public static partial int posix_spawnattr_init(void* attr);
    [LibraryImport(Library)] public static partial int posix_spawnattr_destroy(void* attr);
    [LibraryImport(Library)] public static partial int posix_spawnattr_setflags(void* attr, short flags);
    [LibraryImport(Library)] public static partial int posix_spawnattr_setsigmask(void* attr, void* sigset);
    [LibraryImport(Library)] public static partial int posix_spawnattr_setsigdefault(void* attr, void* sigset);
    [LibraryImport(Library)] public static partial int sigemptyset(void* sigset);
    [LibraryImport(Library)] public static partial int sigfillset(void* sigset);

    [LibraryImport(Library, SetLastError = true)] public static partial int pipe2(int* fds, int flags);
    [LibraryImport(Library, SetLastError = true)] public static partial int close(int fd);
    [LibraryImport(Library, SetLastError = true)] public static partial nint read(int fd, byte* buffer, nint count);
    [LibraryImport(Library, SetLastError = true)] public static partial nint pwrite(int fd, byte* buffer, nint count, long offset);
    [LibraryImport(Library, SetLastError = true)] public static partial int memfd_create(byte* name, uint flags);
    [LibraryImport(Library, SetLastError = true)] public static partial int epoll_create1(int flags);
    [LibraryImport(Library, SetLastError = true)] public static partial int epoll_ctl(int epfd, int op, int fd, byte* ev);
    [LibraryImport(Library, SetLastError = true)] public static partial int epoll_wait(int epfd, byte* events, int maxEvents, int timeout);
    [LibraryImport(Library, SetLastError = true)] public static partial int kill(int pid, int signal);
    [LibraryImport(Library, SetLastError = true)] public static partial int waitpid(int pid, int* status, int options);
    [LibraryImport(Library, SetLastError = true)] public static partial int pidfd_open(int pid, uint flags);
    [LibraryImport(Library, SetLastError = true)] public static partial int pidfd_send_signal(int pidFd, int signal, void* info, uint flags);
    [LibraryImport(Library, SetLastError = true)] public static partial int open(byte* path, int flags);
    [LibraryImport(Library, SetLastError = true)] public static partial int waitid(int idType, int id, byte* info, int options);
    [LibraryImport(Library, SetLastError = true)] public static partial nint getdents64(int fd, byte* buffer, nint count);

    public const int PPid = 1, WExited = 4, WNoWait = 0x01000000;

    /// <summary>siginfo_t is 128 bytes; for SIGCHLD si_code is at 8 and si_status at 24 (x86-64 and arm64 alike).</summary>
    public const int SigInfoSize = 128;

    /// <summary>A shell's view of a waitid result: the exit code, or 128 + the signal (CLD_KILLED, CLD_DUMPED).</summary>
    public static int ExitCode(byte* sigInfo)
    {
        var code = *(int*)(sigInfo + 8);
        var status = *(int*)(sigInfo + 24);
        return code == 1 ? status & 0xff : 128 + status; // 1 is CLD_EXITED
    }

    /// <summary>A shell's view of a wait status: the exit code, or 128 + the signal that ended the process.</summary>
    public static int ExitCode(int status) => (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
}
