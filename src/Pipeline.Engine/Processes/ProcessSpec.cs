namespace Pipeline.Engine.Processes;

/// <summary>A program to start: arguments are passed as an argv list, never through a shell's parser.</summary>
public sealed record ProcessSpec(
    string FileName,
    IReadOnlyList<string> Arguments,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string?> Environment);

/// <summary>How a process ended. Captured text is capped (see <see cref="ProcessRunner.CaptureLimit"/>); logs get every line.</summary>
public sealed record ProcessOutcome(int ExitCode, string Stdout, string Stderr);
