namespace Pipeline.Core.Diagnostics;

/// <summary>How bad a diagnostic is. Any <see cref="Error"/> makes a workflow invalid (exit code 2).</summary>
public enum Severity
{
    /// <summary>Shown with --verbose only: facts a careful reader may want (an env var taken from the machine).</summary>
    Info = 0,
    Warning = 1,
    Error = 2,
}
