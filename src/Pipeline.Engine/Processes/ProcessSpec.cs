namespace Pipeline.Engine.Processes;

/// <summary>A program to start: arguments are passed as an argv list, never through a shell's parser.</summary>
public sealed record ProcessSpec(
    string FileName,
    IReadOnlyList<string> Arguments,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string?> Environment)
{
    /// <summary>The process reads the engine's own stdin (a Taskfile's <c>interactive: true</c>); otherwise /dev/null.</summary>
    public bool InheritStdin { get; init; }

    /// <summary>
    /// What the process inherits under <see cref="Environment"/>: a run passes the snapshot it took at
    /// its start, so a task's start copies only the task's own variables. By default the engine's
    /// environment as the process starts. (The Linux launcher uses it; elsewhere a process inherits
    /// the engine's environment as it starts.)
    /// </summary>
    public InheritedEnvironment? Inherited { get; init; }
}

/// <summary>
/// How a cancelled process is stopped: SIGTERM to its whole group, then, when it has not exited after
/// <see cref="GracePeriod"/> (or at once when <see cref="KillNow"/> fires: a second Ctrl-C), SIGKILL.
/// A zero grace period kills at once.
/// </summary>
public sealed record StopPolicy(TimeSpan GracePeriod, CancellationToken KillNow = default)
{
    public static readonly StopPolicy Immediate = new(TimeSpan.Zero);
}

/// <summary>How a process ended. Captured text is capped (see <see cref="ProcessRunner.CaptureLimit"/>); logs get every line.</summary>
public sealed record ProcessOutcome(int ExitCode, string Stdout, string Stderr);
