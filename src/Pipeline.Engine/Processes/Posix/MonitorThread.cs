namespace Pipeline.Engine.Processes.Posix;

/// <summary>
/// Knows the <see cref="ChildMonitor"/>'s thread, where the code awaiting a child's end goes on
/// running. Work that may take long moves off it first, so the other children's output keeps being
/// read; and the scheduler starts every ready task there itself, since work it hands to the thread
/// pool from a thread outside the pool waits for a free pool thread.
/// </summary>
internal static class MonitorThread
{
    [ThreadStatic] private static bool t_isMonitor;

    /// <summary>Marks the calling thread as the monitor's (called once, as it starts).</summary>
    public static void Enter() => t_isMonitor = true;

    /// <summary>Whether the caller runs on the monitor's thread.</summary>
    public static bool IsCurrent => t_isMonitor;

    /// <summary>
    /// Moves the caller to a thread-pool thread when it runs on the monitor's thread, before work
    /// that may take long (hashing a task's cache inputs, storing its outputs, a Taskfile's
    /// up-to-date checks); anywhere else it goes on where it is.
    /// </summary>
    public static async ValueTask Leave()
    {
        if (t_isMonitor) await Task.Yield(); // no synchronization context there: it resumes on the thread pool
    }
}
