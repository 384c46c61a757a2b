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
}
