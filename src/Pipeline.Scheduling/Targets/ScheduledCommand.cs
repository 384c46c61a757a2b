namespace Pipeline.Scheduling.Targets;

/// <summary>
/// What a machine scheduler runs for one scheduled workflow: the `workflow` tool by absolute paths
/// (so cron's and systemd's bare environment find it), in the workflow's directory, recording into
/// its state directory with the trigger <c>schedule</c>, appending its output to a log there.
/// </summary>
/// <param name="Program">The tool's command: <c>[dotnet, workflow.dll]</c>, or the installed tool's own executable.</param>
public sealed record ScheduledCommand(string Name, string WorkflowFile, string WorkingDirectory, string StateDirectory, IReadOnlyList<string> Program)
{
    /// <summary>
    /// The PATH the tasks get: the installer's own, so a firing finds the same tools (node, python3,
    /// docker) as a run typed at the terminal, not cron's /usr/bin:/bin.
    /// </summary>
    public string SearchPath { get; init; } = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";

    /// <summary>Where each firing's output goes: <c>&lt;state&gt;/schedule/&lt;name&gt;.log</c>.</summary>
    public string LogFile => Path.Combine(StateDirectory, "schedule", Name + ".log");

    /// <summary>The program and its arguments (systemd's ExecStart=, and cron's command).</summary>
    public IReadOnlyList<string> Arguments => [.. Program, "run", WorkflowFile, "--trigger", "schedule", "--quiet", "--state-dir", StateDirectory];

    /// <summary>The command as one line of POSIX shell (cron runs it with /bin/sh).</summary>
    public string ShellLine => $"cd {Quote(WorkingDirectory)} && mkdir -p {Quote(Path.GetDirectoryName(LogFile)!)} && PATH={Quote(SearchPath)} {string.Join(' ', Arguments.Select(Quote))} >> {Quote(LogFile)} 2>&1";

    /// <summary>Single quotes, with a quote inside written as '\''; % escaped because crontab reads it as a newline.</summary>
    public static string Quote(string text) => "'" + text.Replace("'", "'\\''").Replace("%", "\\%") + "'";
}
