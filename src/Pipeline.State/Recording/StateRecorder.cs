using System.Text.Json;
using Pipeline.Engine.Events;
using Pipeline.Engine.Running;
using Pipeline.Engine.Json;

namespace Pipeline.State;

/// <summary>What the recorder knows about a run that the engine's events do not carry.</summary>
public sealed record RunContext
{
    /// <summary>SHA-256 (hex) of the definition file, to detect a changed definition on resume.</summary>
    public string? ContentHash { get; init; }
    public string Trigger { get; init; } = "manual";

    /// <summary>What the trigger carried, as JSON (see <see cref="ExecutionRecord.TriggerData"/>).</summary>
    public string? TriggerData { get; init; }

    /// <summary>The concurrency group the run counts in (see <see cref="ExecutionRecord.ConcurrencyGroup"/>).</summary>
    public string? ConcurrencyGroup { get; init; }

    /// <summary>The run's parameters (--env overrides); recorded as JSON.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Where a task instance's output on a stream is logged (execution id, instance id, stream), if
    /// a report writer keeps logs: <see cref="Pipeline.Engine.Reporting.RunReportWriter.LogPath"/>.
    /// </summary>
    public Func<string, string, OutputStream, string>? LogPath { get; init; }

    /// <summary>The row of an execution of <paramref name="workflow"/> starting now in this process.</summary>
    public ExecutionRecord Execution(string id, Pipeline.Core.Model.WorkflowDefinition workflow, DateTimeOffset startedAt) => new()
    {
        Id = id,
        Workflow = workflow.Name.Value,
        File = workflow.Path,
        Version = workflow.Version?.Value,
        ContentHash = ContentHash,
        Trigger = Trigger,
        TriggerData = TriggerData,
        ConcurrencyGroup = ConcurrencyGroup,
        Parameters = Parameters.Count == 0 ? null : PipelineJson.Serialize(Parameters.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)),
        Status = "running",
        StartedAt = startedAt,
        Pid = Environment.ProcessId,
        Host = Environment.MachineName,
    };
}

/// <summary>
/// Writes a run into the state store as it happens. Put it first among the run's observers: each
/// event is stored before the display shows it. When the store fails (a full disk, a damaged file)
/// the run goes on without it and <see cref="Error"/> says why; nothing the store already holds is lost.
/// </summary>
public sealed class StateRecorder(IStateStore store, RunContext context) : IRunObserver
{
    private const int ExcerptLines = 20;
    private const int ExcerptChars = 2000;

    /// <summary>Why recording stopped, or null.</summary>
    public string? Error { get; private set; }

    // Which streams each task instance printed on, so only logs that exist are recorded.
    private readonly HashSet<(string Instance, OutputStream Stream)> _printed = [];

    public void OnEvent(RunEvent e)
    {
        if (Error is not null) return;
        try
        {
            switch (e)
            {
                case RunStarted s:
                    store.ExecutionStarted(context.Execution(s.ExecutionId, s.Plan.Workflow, s.At));
                    break;
                case TaskStarted t:
                    store.TaskStarted(t.ExecutionId, t.InstanceId, t.TaskId, t.Role, t.Attempt, t.At);
                    break;
                case TaskProcessStarted p:
                    // The identity is read here, off the task's way to its process: three system calls a
                    // task. The leader is not reaped before its session is swept, so while anything of
                    // it is left to stop, its pid is its own; when it is gone, there is nothing to record.
                    store.TaskProcess(p.ExecutionId, p.InstanceId, p.ProcessId, p.ProcessStart ?? Pipeline.Engine.Processes.ProcessIdentity.StartOf(p.ProcessId));
                    break;
                case TaskOutput o:
                    _printed.Add((o.InstanceId, o.Stream));
                    break;
                case TaskFinished f:
                    var r = f.Result;
                    store.TaskFinished(new TaskRunRecord
                    {
                        ExecutionId = f.ExecutionId,
                        InstanceId = r.InstanceId,
                        TaskId = r.TaskId,
                        Role = r.Role,
                        Status = r.State.Name(),
                        StartedAt = r.StartedAt,
                        FinishedAt = r.FinishedAt,
                        Attempts = r.Attempts.Count,
                        ExitCode = r.ExitCode,
                        Error = r.Error,
                        Reason = r.Reason,
                        Outputs = r.Outputs.Count == 0 ? null : PipelineJson.Serialize(r.Outputs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)),
                        OutputExcerpt = Excerpt(r.Stdout, r.Stderr),
                        StdoutLog = Log(f.ExecutionId, r.InstanceId, OutputStream.Stdout),
                        StderrLog = Log(f.ExecutionId, r.InstanceId, OutputStream.Stderr),
                    }, r.Attempts.Select(a => new AttemptRow(f.ExecutionId, r.InstanceId, a.Number, a.State.Name(), a.StartedAt, a.FinishedAt, a.ExitCode, a.Error)).ToList());
                    break;
                case RunFinished done:
                    store.ExecutionFinished(done.ExecutionId, done.Result.Status.ToString().ToLowerInvariant(), done.Result.FinishedAt, done.Result.Error);
                    break;
            }
        }
        catch (StateStoreException ex)
        {
            Error = ex.Message;
        }
    }

    /// <summary>
    /// The log of a stream the task printed on. Known from the events themselves, not from the
    /// report writer, which sees them only after the store (an output line and the task's end in
    /// one batch would otherwise record no log).
    /// </summary>
    private string? Log(string executionId, string instanceId, OutputStream stream) =>
        context.LogPath is { } path && _printed.Contains((instanceId, stream)) ? path(executionId, instanceId, stream) : null;

    /// <summary>Stops recording (the store failed in a batch around the recorder).</summary>
    internal void Fail(string error) => Error ??= error;

    /// <summary>The last lines of what the task printed (already masked by the engine).</summary>
    internal static string? Excerpt(string stdout, string stderr)
    {
        var lines = (stdout + (stderr.Length > 0 ? stderr : "")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0) return null;
        var text = string.Join('\n', lines.TakeLast(ExcerptLines));
        return text.Length <= ExcerptChars ? text : text[^ExcerptChars..];
    }
}
