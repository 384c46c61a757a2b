namespace Pipeline.Cli;

/// <summary>The process exit codes, documented in the README. Stable: scripts depend on them.</summary>
public static class ExitCodes
{
    /// <summary>Everything valid / the workflow succeeded.</summary>
    public const int Success = 0;

    /// <summary>A workflow ran and failed.</summary>
    public const int WorkflowFailed = 1;

    /// <summary>Invalid input or usage: a workflow file with errors, a bad argument, a missing file.</summary>
    public const int InvalidInput = 2;

    /// <summary>
    /// The state store is there but cannot be used: a damaged or locked file, an unreachable or
    /// refusing PostgreSQL server. Commands that read history exit with it; <c>workflow run</c>
    /// warns instead and runs unrecorded.
    /// </summary>
    public const int StateUnavailable = 3;

    /// <summary>A bug in Pipeline.</summary>
    public const int InternalError = 70;
}
