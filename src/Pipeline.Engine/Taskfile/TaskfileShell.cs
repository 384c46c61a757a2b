using Pipeline.Engine.Events;
using Pipeline.Engine.Processes;

namespace Pipeline.Engine.Taskfile;

/// <summary>
/// Runs Taskfile commands. go-task interprets them with an embedded bash-dialect interpreter with
/// <c>-e</c> on; we run the machine's bash (sh when there is no bash) the same way, so <c>[[ ]]</c>,
/// arrays and <c>set -o pipefail</c> work. Each command runs in its own process group (killed on
/// timeout or Ctrl-C) with the Taskfile's environment over the process environment.
/// </summary>
internal static class TaskfileShell
{
    private static readonly Lazy<string> ProgramPath = new(() =>
        Executables.Find("bash", null) ?? Executables.Find("sh", null) ?? "/bin/sh");

    public static string Program => ProgramPath.Value;

    public static ProcessSpec Spec(string script, string directory, IReadOnlyDictionary<string, string?> environment,
        IEnumerable<string>? set = null, IEnumerable<string>? shopt = null)
    {
        var prefix = "";
        foreach (var option in set ?? []) prefix += $"set -{(option.Length == 1 ? option : "o " + option)}\n";
        if (Path.GetFileName(Program) == "bash")
            foreach (var option in shopt ?? []) prefix += $"shopt -s {option}\n";
        return new ProcessSpec(Program, ["-e", "-c", prefix + script], directory, environment);
    }

    public static Task<ProcessOutcome> RunAsync(ProcessSpec spec, Action<OutputStream, string> onLine, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(spec, onLine, cancellationToken);
}
