namespace Pipeline.State;

/// <summary>
/// Where runs are kept. Every write is synced to the disk when the call returns (a batch of them in
/// <see cref="InOneTransaction"/>: one sync for the batch, which is how <see cref="DurablePipeline"/>
/// keeps thousands of short tasks from waiting on the disk). SQLite by default (<see cref="SqliteStateStore"/>),
/// PostgreSQL when a connection string is configured (<see cref="PostgresStateStore"/>); both share their SQL
/// in <see cref="RelationalStateStore"/>, and one set of tests runs against each.
/// </summary>
public interface IStateStore : IDisposable
{
    void ExecutionStarted(ExecutionRecord execution);
    void TaskStarted(string executionId, string instanceId, string taskId, string role, int attempt, DateTimeOffset at);
    void TaskFinished(TaskRunRecord task, IReadOnlyList<AttemptRow> attempts);

    /// <summary>Records the process a task instance runs now (its id is also its session's), and when it started.</summary>
    void TaskProcess(string executionId, string instanceId, int processId, string? processStart);
    void ExecutionFinished(string executionId, string status, DateTimeOffset finishedAt, string? error);

    /// <summary>Deletes the executions (with their tasks and attempts) that finished before <paramref name="before"/>; running ones are kept.</summary>
    /// <returns>The ids deleted, so their log folders can go too.</returns>
    IReadOnlyList<string> Prune(DateTimeOffset before, bool dryRun = false);

    /// <summary>
    /// Claims the workflow (within the execution's concurrency group) for one execution, atomically
    /// across processes: when no other execution of the workflow and group is running (as <paramref name="isAlive"/> judges its process), the execution
    /// is recorded as running and nothing is returned; otherwise nothing is written and the running
    /// executions are returned. A run that crashed leaves a row whose process is gone, which does
    /// not count: no lock file to clean up after a crash.
    /// </summary>
    IReadOnlyList<ExecutionRecord> TryClaim(ExecutionRecord execution, Func<ExecutionRecord, bool> isAlive);

    /// <summary>
    /// Claims one firing of a trigger (a schedule's fire time, a webhook's delivery id) for an
    /// execution, atomically across processes and restarts: returns null when this call claimed it,
    /// or the execution id that claimed it first (and nothing is written).
    /// </summary>
    string? ClaimTrigger(string key, string executionId, DateTimeOffset at);

    /// <summary>Forgets the claims made before <paramref name="before"/>; returns how many.</summary>
    int PruneTriggerClaims(DateTimeOffset before);

    /// <summary>Every finished run of a DAG task, oldest first (for metrics, health and estimates).</summary>
    IReadOnlyList<TaskSample> TaskSamples(string? workflow, DateTimeOffset? since);

    /// <summary>
    /// The durations of each DAG task's latest <paramref name="perTask"/> successful runs in a
    /// workflow (what plan estimates take the median of): selected in the database, so a long history
    /// costs a run's start-up no more than a short one.
    /// </summary>
    IReadOnlyDictionary<string, IReadOnlyList<TimeSpan>> RecentSuccessDurations(string workflow, int perTask);

    /// <summary>Runs several writes as one transaction: one sync to the disk for all of them.</summary>
    void InOneTransaction(Action writes);

    IReadOnlyList<ExecutionRecord> History(HistoryQuery query);

    /// <summary>One execution by id, or by a unique prefix of it; null when none matches.</summary>
    ExecutionDetail? Find(string executionId);

    /// <summary>Records one attempt to deliver a notification about an execution (numbered after the earlier attempts of its channel and event).</summary>
    void NotificationAttempted(NotificationAttempt attempt);

    /// <summary>The states of a workflow's alert rules (rules that never fired have none).</summary>
    IReadOnlyList<AlertState> Alerts(string workflow);

    void SaveAlert(AlertState state);

    /// <summary>Deletes a workflow's finished executions (with their tasks, attempts and notifications), its alert states and its entry; running ones are kept.</summary>
    /// <returns>The ids deleted, so their log folders can go too.</returns>
    IReadOnlyList<string> DeleteWorkflow(string workflow);

    /// <summary>Every workflow that has run on this store, by name.</summary>
    IReadOnlyList<WorkflowRecord> Workflows();
}

/// <summary>A store that cannot be opened or written (corrupt, locked, full disk, unreachable server): a clear message, never a stack trace.</summary>
public sealed class StateStoreException(string message, Exception? inner = null) : Exception(message, inner);
