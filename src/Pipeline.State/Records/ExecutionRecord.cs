namespace Pipeline.State;

/// <summary>One execution of a workflow as the store keeps it.</summary>
public sealed record ExecutionRecord
{
    public required string Id { get; init; }
    public required string Workflow { get; init; }
    public string? File { get; init; }
    public string? Version { get; init; }

    /// <summary>SHA-256 of the definition file's bytes: a resume refuses a changed definition.</summary>
    public string? ContentHash { get; init; }
    public string Trigger { get; init; } = "manual";

    /// <summary>The run's parameters (--env overrides) as JSON; secret values never reach the store.</summary>
    public string? Parameters { get; init; }

    /// <summary>What the trigger carried, as JSON: a schedule's cron and firing time, a webhook's path, delivery and payload, a file change's files.</summary>
    public string? TriggerData { get; init; }

    /// <summary>The concurrency group the run counts in (its workflow's <c>concurrency.group</c>, rendered); null is the workflow's one group.</summary>
    public string? ConcurrencyGroup { get; init; }

    /// <summary>running, succeeded, failed or cancelled; "running" after a crash means interrupted.</summary>
    public required string Status { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public string? Error { get; init; }

    /// <summary>The process and machine that ran it last: a "running" execution whose process is gone was interrupted.</summary>
    public int? Pid { get; init; }
    public string? Host { get; init; }

    public TimeSpan? Duration => FinishedAt is { } f ? f - StartedAt : null;
}

/// <summary>One task instance of an execution.</summary>
public sealed record TaskRunRecord
{
    public required string ExecutionId { get; init; }
    public required string InstanceId { get; init; }
    public required string TaskId { get; init; }
    public string Role { get; init; } = "dag";
    public required string Status { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public int Attempts { get; init; }
    public int? ExitCode { get; init; }
    public string? Error { get; init; }
    public string? Reason { get; init; }

    /// <summary>Outputs as JSON (already masked).</summary>
    public string? Outputs { get; init; }

    /// <summary>The last lines of stdout and stderr (masked), for a quick look; the log files have it all.</summary>
    public string? OutputExcerpt { get; init; }
    public string? StdoutLog { get; init; }
    public string? StderrLog { get; init; }

    /// <summary>The last process the instance ran (also its session id on Linux), and its start time as the engine read it.</summary>
    public int? ProcessId { get; init; }
    public string? ProcessStart { get; init; }

    public TimeSpan? Duration => StartedAt is { } s && FinishedAt is { } f ? f - s : null;
}

/// <summary>One finished run of a task, as metrics read it.</summary>
public sealed record TaskSample(string Workflow, string TaskId, string ExecutionId, string Status, DateTimeOffset StartedAt, TimeSpan Duration, int Attempts, string? Error);

/// <summary>One attempt of a task instance.</summary>
public sealed record AttemptRow(string ExecutionId, string InstanceId, int Number, string Status, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, int? ExitCode, string? Error);

/// <summary>What <c>workflow history</c> asks for.</summary>
public sealed record HistoryQuery
{
    public string? Workflow { get; init; }
    public string? Status { get; init; }
    public DateTimeOffset? Since { get; init; }
    public int Limit { get; init; } = 20;
}

/// <summary>An execution with its task runs, their attempts and its notifications (<c>workflow status</c>).</summary>
public sealed record ExecutionDetail(ExecutionRecord Execution, IReadOnlyList<TaskRunRecord> Tasks, IReadOnlyList<AttemptRow> Attempts)
{
    /// <summary>Every attempt to deliver a notification about the execution, in the order they were made.</summary>
    public IReadOnlyList<NotificationAttempt> NotificationAttempts { get; init; } = [];

    /// <summary>Each delivery (a channel and an event) as its attempts ended: the last attempt's status and error, how many attempts.</summary>
    public IReadOnlyList<NotificationDelivery> Deliveries =>
        NotificationAttempts.GroupBy(a => (a.Channel, a.Event))
            .Select(g => g.OrderBy(a => a.Number).ToList())
            .Select(g => new NotificationDelivery(g[^1].ExecutionId, g[^1].Channel, g[^1].Event, g[^1].Status, g.Count, g[^1].SentAt, g[^1].Error))
            .OrderBy(d => d.SentAt).ThenBy(d => d.Channel, StringComparer.Ordinal)
            .ToList();
}

/// <summary>
/// A workflow that has run on this store: what its latest run was started from (file, version,
/// SHA-256 of the definition) and when it first and last ran. Kept when its executions are pruned.
/// </summary>
public sealed record WorkflowRecord(string Name, string? File, string? Version, string? ContentHash, DateTimeOffset FirstRunAt, DateTimeOffset LastRunAt);

/// <summary>
/// One notification of an execution: the channel (<c>email</c>, <c>slack</c>, <c>webhook</c>,
/// <c>console</c>, or a name from the configuration), the event it reported (<c>success</c>,
/// <c>failure</c>, <c>completion</c>), whether it was <c>delivered</c> or <c>failed</c>, after how many attempts.
/// </summary>
public sealed record NotificationDelivery(string ExecutionId, string Channel, string Event, string Status, int Attempts, DateTimeOffset SentAt, string? Error);

/// <summary>
/// One attempt to deliver a notification: <see cref="Status"/> is <c>delivered</c>, <c>failed</c>
/// (it may be retried) or <c>skipped</c> (throttled, or the channel's circuit was open). The store
/// numbers attempts per execution, channel and event (<see cref="Number"/>).
/// </summary>
public sealed record NotificationAttempt(string ExecutionId, string Channel, string Event, string Status, DateTimeOffset SentAt, long? DurationMs, string? Error)
{
    public int Number { get; init; }
}

/// <summary>An alert rule's state for a workflow: firing since when, when it was last sent, how many firings the throttle held back.</summary>
public sealed record AlertState(string Workflow, string Rule, bool Firing, DateTimeOffset Since, DateTimeOffset? LastSentAt, int Suppressed, string? Detail);
