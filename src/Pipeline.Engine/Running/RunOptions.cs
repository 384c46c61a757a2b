using Pipeline.Core.Model;
using Pipeline.Engine.Events;
using Pipeline.Engine.Executors;

namespace Pipeline.Engine.Running;

/// <summary>How one run is carried out. Immutable; every field has a sensible default.</summary>
public sealed record RunOptions
{
    /// <summary>Most tasks running at once. Null: the workflow's max_parallel, else the processor count.</summary>
    public int? MaxParallel { get; init; }

    /// <summary>Values of the workflow's declared secrets, by name. They are masked in everything the engine publishes.</summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();

    /// <summary>More values to mask that are not <c>secrets.*</c> (parameters under a secret's name).</summary>
    public IReadOnlyList<string> MaskedValues { get; init; } = [];

    /// <summary>Variables that override the workflow's environment (from <c>--env NAME=VALUE</c>).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The run's id; generated (sortable by start time) when null.</summary>
    public string? ExecutionId { get; init; }

    public IReadOnlyList<IRunObserver> Observers { get; init; } = [];

    /// <summary>Cancel running tasks at the first failure instead of letting them finish.</summary>
    public bool FailFast { get; init; }

    /// <summary>
    /// Bounds the clean-up after a failure or cancellation (on_failure callbacks, <c>always()</c> tasks,
    /// rollback). The CLI cancels it on a second Ctrl-C.
    /// </summary>
    public CancellationToken CleanupToken { get; init; }

    /// <summary>
    /// How long a cancelled task's processes get after SIGTERM before SIGKILL (Ctrl-C, SIGTERM,
    /// timeouts). Zero kills at once. The clean-up token (a second Ctrl-C) ends the wait early.
    /// </summary>
    public TimeSpan GracePeriod { get; init; }

    /// <summary>What started the run, for <c>${trigger.type}</c>.</summary>
    public string TriggerType { get; init; } = "manual";

    /// <summary>
    /// What the trigger carried, for <c>${trigger.payload...}</c>, <c>${trigger.headers.NAME}</c>,
    /// <c>${trigger.path}</c>, <c>${trigger.files}</c> and <c>${trigger.schedule}</c> (a webhook's JSON body
    /// and headers, a file change's files, a schedule's cron). Like every expression value, it reaches
    /// a shell command through an environment variable, never as script text.
    /// </summary>
    public TriggerDetails? Trigger { get; init; }

    /// <summary>
    /// Results of DAG tasks from an interrupted execution being resumed, by task id: the scheduler
    /// takes them as done (their outputs available to later tasks) instead of running them again.
    /// A failed result here fails the task without running it (a task that must not be re-run).
    /// </summary>
    public IReadOnlyDictionary<string, TaskResult>? Resumed { get; init; }

    /// <summary>
    /// The content-addressed cache: tasks with <c>inputs</c> whose key has an entry are restored
    /// instead of run, and successful ones are stored. Null (the default) turns caching off.
    /// </summary>
    public Caching.TaskCache? Cache { get; init; }

    /// <summary>Run cached tasks anyway and write their entries afresh (<c>workflow run --force</c>).</summary>
    public bool RefreshCache { get; init; }

    /// <summary>Replaces the executor of a task type (benchmarks use in-process no-op executors).</summary>
    public IReadOnlyDictionary<TaskType, ITaskExecutor>? Executors { get; init; }
}

/// <summary>What a trigger carried into a run; see <see cref="RunOptions.Trigger"/>.</summary>
public sealed record TriggerDetails
{
    /// <summary>A webhook's JSON body (null when there was none).</summary>
    public Pipeline.Core.Expressions.ExprValue? Payload { get; init; }

    /// <summary>A webhook's request headers (names are matched case-insensitively).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>A webhook's path (<c>/hooks/deploy</c>).</summary>
    public string? Path { get; init; }

    /// <summary>A file change's files, relative to the watched directory.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>A schedule's cron expression.</summary>
    public string? Schedule { get; init; }

    /// <summary>The time a schedule called for (the run may start later: jitter, a busy machine, a restart).</summary>
    public DateTimeOffset? ScheduledAt { get; init; }
}
