using Pipeline.Engine.Events;

namespace Pipeline.Engine.Taskfile;

/// <summary>How one <c>workflow run -t Taskfile.yml ...</c> behaves; the defaults are go-task's.</summary>
public sealed record TaskfileRunOptions
{
    /// <summary><c>NAME=value</c> given on the command line: they override the Taskfile's global vars (not task vars).</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    /// <summary>Values masked from the start: command-line variables under a secret's name (the Taskfile's own secrets join as they are computed).</summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];

    /// <summary>The words after <c>--</c>, available as <c>{{.CLI_ARGS}}</c> (shell-quoted) and <c>.CLI_ARGS_LIST</c>.</summary>
    public IReadOnlyList<string> CliArgs { get; init; } = [];

    /// <summary>Run even tasks that are up to date, and skip preconditions (go-task's <c>--force</c>).</summary>
    public bool Force { get; init; }

    /// <summary>Print the commands that would run, run none of them, write no checksum.</summary>
    public bool DryRun { get; init; }

    /// <summary>Do not echo commands (<c>task: [name] cmd</c>).</summary>
    public bool Silent { get; init; }

    /// <summary>Echo every command even when silent, and say why tasks are skipped.</summary>
    public bool Verbose { get; init; }

    /// <summary>Most tasks running commands at once; null for no limit (go-task's default).</summary>
    public int? MaxParallel { get; init; }

    /// <summary>The tasks named on the command line run in parallel instead of one after the other.</summary>
    public bool Parallel { get; init; }

    /// <summary>Answer yes to every <c>prompt:</c>.</summary>
    public bool AssumeYes { get; init; }

    /// <summary>Asks a <c>prompt:</c> question; null when there is no terminal (the prompt then cancels the task).</summary>
    public Func<string, bool>? Prompt { get; init; }

    /// <summary>Overrides the Taskfile's <c>output:</c> (interleaved, prefixed, group).</summary>
    public string? Output { get; init; }

    /// <summary>Where checksums and timestamps live (go-task's <c>.task</c> beside the root Taskfile).</summary>
    public string? TempDirectory { get; init; }

    public string? ExecutionId { get; init; }

    /// <summary>Stops the clean-up after a cancellation (the deferred commands); the second Ctrl-C cancels it. None: they always run.</summary>
    public CancellationToken CleanupToken { get; init; }

    public IReadOnlyList<IRunObserver> Observers { get; init; } = [];

    /// <summary>The version reported by <c>{{.TASK_VERSION}}</c>.</summary>
    public string Version { get; init; } = typeof(TaskfileRunOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
