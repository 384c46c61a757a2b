namespace Pipeline.Engine.Running;

/// <summary>One try of a task: when, how it ended, and why it failed.</summary>
public sealed record AttemptRecord(int Number, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, TaskState State, int? ExitCode, string? Error)
{
    public TimeSpan Duration => FinishedAt - StartedAt;
}

/// <summary>
/// The result of one task instance. A DAG task has one instance whose id is the task's id; a task
/// invoked by another (callback, branch, group member, loop item, rollback) gets an instance id that
/// says who invoked it, such as <c>deploy/notify-failure</c> or <c>matrix/matrix-item[2]</c>.
/// Texts in a result that the engine publishes are already masked.
/// </summary>
public sealed record TaskResult
{
    public required string InstanceId { get; init; }
    public required string TaskId { get; init; }
    public required string TaskType { get; init; }
    public required TaskState State { get; init; }

    /// <summary>What invoked it: "dag", "on_success", "on_failure", "then", "else", "tasks", "task", "rollback".</summary>
    public string Role { get; init; } = "dag";

    /// <summary>The task instance that invoked this one, if any.</summary>
    public string? Parent { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public IReadOnlyList<AttemptRecord> Attempts { get; init; } = [];
    public int? ExitCode { get; init; }
    public string? Error { get; init; }

    /// <summary>Why a task did not run (skipped or cancelled before starting).</summary>
    public string? Reason { get; init; }

    /// <summary>True when the task failed but has continue_on_error: its dependents go on as if it succeeded.</summary>
    public bool ContinuedOnError { get; init; }
    public IReadOnlyDictionary<string, string> Outputs { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty;
    public string Stdout { get; init; } = "";
    public string Stderr { get; init; } = "";

    public TimeSpan Duration => StartedAt is { } s && FinishedAt is { } f ? f - s : TimeSpan.Zero;

    /// <summary>True when the task ran and skipped itself (nothing to do): its dependents go on.</summary>
    public bool SkippedItself { get; init; }

    /// <summary>Counts as success for the tasks that wait on it.</summary>
    public bool Satisfies => State.IsSuccess() || ContinuedOnError || SkippedItself;

    /// <summary>A task instance that never started: skipped, cancelled before it began, or refused.</summary>
    public static TaskResult NotRun(Core.Model.TaskDefinition task, string instanceId, TaskState state, string reason, string role = "dag", string? parent = null) => new()
    {
        InstanceId = instanceId,
        TaskId = task.Id.Value,
        TaskType = Core.Model.TaskTypes.NameOf(task.Type),
        State = state,
        Role = role,
        Parent = parent,
        Reason = reason,
        FinishedAt = DateTimeOffset.UtcNow,
    };
}

/// <summary>Everything a finished run produced.</summary>
public sealed record RunResult
{
    public required string ExecutionId { get; init; }
    public required string Workflow { get; init; }
    public required string File { get; init; }
    public required RunStatus Status { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }

    /// <summary>Every task instance in the order it finished.</summary>
    public required IReadOnlyList<TaskResult> Tasks { get; init; }

    /// <summary>The chain of DAG tasks that actually bounded the run (each waited on the one before it finishing last).</summary>
    public required IReadOnlyList<string> CriticalPathTaken { get; init; }

    /// <summary>Why the run failed, in one line (the first failing task and its error).</summary>
    public string? Error { get; init; }

    /// <summary>Problems that did not change the outcome (an observer that threw, say).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public TimeSpan Duration => FinishedAt - StartedAt;
}
