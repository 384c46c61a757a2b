using Pipeline.Engine.Processes.Posix;

namespace Pipeline.Engine.Processes;

/// <summary>
/// Tells a process apart from a later one that got the same pid: the boot it started in and its
/// start time in clock ticks since then ("&lt;boot id&gt;:&lt;ticks&gt;"), read from /proc on Linux.
/// Recorded with each task's process so that resume stops only what the interrupted run started.
/// </summary>
public static class ProcessIdentity
{
    private static readonly Lazy<string?> BootId = new(() =>
    {
        try { return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim(); }
        catch (Exception) { return null; }
    });

    /// <summary>The identity of a live process, or null where it cannot be read (not Linux, or it is gone).</summary>
    public static string? StartOf(int pid) =>
        PosixLauncher.IsSupported && BootId.Value is { } boot && ProcStat.Read(pid) is { } stat ? $"{boot}:{stat.StartTicks}" : null;

    /// <summary>The start time of an identity recorded in this boot; null for another boot (nothing of it can be alive) or an unreadable one.</summary>
    internal static long? TicksInThisBoot(string? identity)
    {
        if (identity is null || BootId.Value is not { } boot) return null;
        var colon = identity.LastIndexOf(':');
        if (colon < 0 || identity[..colon] != boot) return null;
        return long.TryParse(identity.AsSpan(colon + 1), out var ticks) ? ticks : null;
    }
}
