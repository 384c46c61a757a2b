using System;
using System.Threading;
using System.Threading.Tasks;

namespace Pipeline.Core.Model;

/// <summary>
/// A task whose work is C# code: a build target of a build project, or a node that runs a generated
/// workflow. It exists only in definitions built in code; workflow files cannot declare one.
/// </summary>
public sealed record CodeTask : TaskDefinition
{
    public override TaskType Type => TaskType.Code;

    /// <summary>The work. Throwing fails the task (its message is the error); <see cref="CodeTaskContext.Skip"/> skips it.</summary>
    public required Func<CodeTaskContext, CancellationToken, Task> Action { get; init; }

    /// <summary>
    /// False for work that only waits on other work (a node that runs a whole workflow, whose own
    /// tasks take the slots): it then holds none of the run's max-parallel slots itself.
    /// </summary>
    public bool TakesSlot { get; init; } = true;

    /// <summary>A description for listings and the plan.</summary>
    public string? Description { get; init; }
}

/// <summary>What a code task may do besides its work: write lines to its log, and skip itself.</summary>
public sealed class CodeTaskContext
{
    private readonly Action<string> _log;
    private readonly Func<Task>? _shown;

    /// <param name="taskId">The task's id.</param>
    /// <param name="log">Where <see cref="Log"/> writes.</param>
    /// <param name="shown">Completes once the run has shown every event so far (see <see cref="ShownAsync"/>).</param>
    public CodeTaskContext(string taskId, Action<string> log, Func<Task>? shown = null)
    {
        TaskId = taskId;
        _log = log;
        _shown = shown;
    }

    public string TaskId { get; }

    /// <summary>Why the task skipped itself, or null.</summary>
    public string? SkipReason { get; private set; }

    /// <summary>Writes a line to the task's output (masked like a process's output).</summary>
    public void Log(string line) => _log(line);

    /// <summary>
    /// Waits until the run's display shows everything that happened before (the lines of the targets
    /// this one waited for, and its own header), which reaches the console after the state store has
    /// it: call it before something else writes to the same console, or those lines would come first.
    /// </summary>
    public Task ShownAsync() => _shown?.Invoke() ?? Task.CompletedTask;

    /// <summary>Marks the task skipped (its work is not needed); tasks that wait on it still run.</summary>
    public void Skip(string reason) => SkipReason = reason;
}
