using Pipeline.Core.Expressions;
using Pipeline.Core.Model;
using Pipeline.Engine.Events;
using Pipeline.Engine.Executors;
using Pipeline.Engine.Planning;
using Pipeline.Engine.Secrets;

namespace Pipeline.Engine.Running;

/// <summary>The state of one run, shared by the scheduler and the task runners.</summary>
internal sealed class RunState : IDisposable
{
    private readonly object _publishLock = new();
    private readonly List<TaskResult> _finished = [];
    // Each task's latest result (masked) and raw outputs, under _publishLock: one table rather than
    // concurrent dictionaries, which allocate a node per write, thousands of times per run.
    private readonly Dictionary<string, (TaskResult Masked, IReadOnlyDictionary<string, string> RawOutputs)> _latest = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskDefinition> _tasks;
    private string? _scratchRoot;
    private int _scratchCounter;
    private string? _firstFailure;
    private string? _deferredFailure;

    public RunState(ExecutionPlan plan, RunOptions options, string executionId, int maxParallel, Action slotReleased)
    {
        Plan = plan;
        Options = options;
        ExecutionId = executionId;
        StartedAt = DateTimeOffset.UtcNow;
        Masker = new SecretMasker(options.Secrets.Values.Concat(options.MaskedValues));
        Slots = new SlotPool(maxParallel, slotReleased);
        WorkflowDirectory = Path.GetDirectoryName(Path.GetFullPath(plan.Workflow.Path)) ?? Directory.GetCurrentDirectory();
        _tasks = new Dictionary<string, TaskDefinition>(plan.Workflow.Tasks.Count, StringComparer.Ordinal);
        _latest.EnsureCapacity(plan.Graph.Nodes.Count);
        _finished.Capacity = plan.Graph.Nodes.Count;
        foreach (var t in plan.Workflow.Tasks) _tasks.TryAdd(t.Id.Value, t);
        StopRunning = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken.None);
        Environment = new RunEnvironment(this);
        Cache = new Caching.CacheStep(this);
        ScratchFileFactory = ScratchFile;
        StopPolicy = new Processes.StopPolicy(options.GracePeriod, options.CleanupToken);
    }

    /// <summary><see cref="ScratchFile"/> as the delegate every task invocation gets (made once, not per task).</summary>
    public Func<string, string> ScratchFileFactory { get; }

    /// <summary>How every task's processes are stopped in this run.</summary>
    public Processes.StopPolicy StopPolicy { get; }

    public ExecutionPlan Plan { get; }
    public WorkflowDefinition Workflow => Plan.Workflow;
    public RunOptions Options { get; }
    public string ExecutionId { get; }
    public DateTimeOffset StartedAt { get; }
    public SecretMasker Masker { get; }
    public SlotPool Slots { get; }
    public string WorkflowDirectory { get; }
    public HttpClients Http { get; } = new();
    public RunEnvironment Environment { get; }
    public Caching.CacheStep Cache { get; }

    /// <summary>Cancelled at the first failure when fail-fast is on.</summary>
    public CancellationTokenSource StopRunning { get; }

    /// <summary>The user's cancellation (Ctrl-C) of the whole run.</summary>
    public CancellationToken UserToken { get; set; }
    public bool Cancelled => UserToken.IsCancellationRequested;

    /// <summary>True once a task failed without continue_on_error: nothing new starts but clean-up tasks.</summary>
    public bool Failing => _firstFailure is not null;
    public string? FirstFailure => _firstFailure;

    public TaskDefinition Find(string id) => _tasks[id];

    public IReadOnlyList<TaskResult> Finished { get { lock (_publishLock) return _finished.ToList(); } }

    public IReadOnlyDictionary<string, string>? RawOutputs(string taskId)
    {
        lock (_publishLock) return _latest.TryGetValue(taskId, out var r) ? r.RawOutputs : null;
    }

    /// <summary>A failure that lets the run go on (ProceedAfterFailure) but fails it at the end.</summary>
    public void FailAtEnd(TaskResult result) =>
        Interlocked.CompareExchange(ref _deferredFailure, $"task '{result.InstanceId}' {result.State.Name()}" + (result.Error is null ? "" : $": {result.Error}"), null);

    /// <summary>The first failure recorded with <see cref="FailAtEnd"/>.</summary>
    public string? DeferredFailure => _deferredFailure;

    public void Fail(TaskResult result)
    {
        var message = $"task '{result.InstanceId}' {result.State.Name()}" + (result.Error is null ? "" : $": {result.Error}");
        if (Interlocked.CompareExchange(ref _firstFailure, message, null) is null && Options.FailFast)
            StopRunning.Cancel();
    }

    /// <summary>Stores a finished task instance (raw outputs kept for later expressions) and publishes it masked.</summary>
    public TaskResult Record(TaskResult raw)
    {
        var masked = Masker.IsEmpty ? raw : raw with
        {
            Error = Masker.ApplyOrNull(raw.Error),
            Outputs = Masker.Apply(raw.Outputs),
            Stdout = Masker.Apply(raw.Stdout),
            Stderr = Masker.Apply(raw.Stderr),
            Attempts = raw.Attempts.Select(a => a with { Error = Masker.ApplyOrNull(a.Error) }).ToList(),
        };
        lock (_publishLock)
        {
            _latest[raw.TaskId] = (masked, raw.Outputs);
            _finished.Add(masked);
        }
        Publish(new TaskFinished(ExecutionId, DateTimeOffset.UtcNow, masked));
        return masked;
    }

    private readonly List<string> _warnings = [];

    /// <summary>Problems that did not change the outcome (a cache entry that could not be written), masked.</summary>
    public void Warn(string message)
    {
        lock (_warnings) _warnings.Add(Masker.Apply(message));
    }

    public IReadOnlyList<string> Warnings { get { lock (_warnings) return _warnings.ToList(); } }

    /// <summary>The first exception an observer threw; observers cannot stop or break a run.</summary>
    public Exception? ObserverError { get; private set; }

    public void Publish(RunEvent e)
    {
        lock (_publishLock)
        {
            foreach (var o in Options.Observers)
            {
                try { o.OnEvent(e); }
                catch (Exception ex) { ObserverError ??= ex; }
            }
        }
    }

    /// <summary>Completes when the durable observers (the state store) have recorded every event published so far.</summary>
    public Task RecordedAsync()
    {
        List<Task>? pending = null;
        foreach (var o in Options.Observers)
            if (o is IDurableRunObserver durable && durable.FlushAsync() is { IsCompleted: false } flush)
                (pending ??= []).Add(flush);
        return pending is null ? Task.CompletedTask : Task.WhenAll(pending);
    }

    public void Output(string instanceId, OutputStream stream, string line, bool live) =>
        Publish(new TaskOutput(ExecutionId, DateTimeOffset.UtcNow, instanceId, stream, Masker.Apply(line), live));

    /// <summary>A path for a temporary file, unique in the run; the run's scratch folder is created once and deleted at the end.</summary>
    public string ScratchFile(string name)
    {
        if (_scratchRoot is null)
        {
            var root = Path.Combine(Path.GetTempPath(), "pipeline-" + ExecutionId);
            Directory.CreateDirectory(root);
            Interlocked.CompareExchange(ref _scratchRoot, root, null);
        }
        return Path.Combine(_scratchRoot, $"{Interlocked.Increment(ref _scratchCounter)}-{name}");
    }

    /// <summary>The <c>tasks</c> expression root: each task's latest status, exit code, outputs, ...</summary>
    public ExprValue TasksValue()
    {
        var entries = new List<KeyValuePair<string, ExprValue>>();
        KeyValuePair<string, (TaskResult Masked, IReadOnlyDictionary<string, string> RawOutputs)>[] latest;
        lock (_publishLock) latest = _latest.ToArray();
        foreach (var (id, (r, outputs)) in latest)
        {
            entries.Add(new(id, ExprValue.Object(
            [
                // A cached task's status stays "succeeded", so conditions written before caching hold; cached says which.
                new("status", ExprValue.String(r.State == TaskState.Cached ? "succeeded" : r.State.Name())),
                new("cached", ExprValue.Bool(r.State == TaskState.Cached)),
                new("exit_code", r.ExitCode is { } c ? ExprValue.Number(c) : ExprValue.Null),
                new("outputs", ExprValue.Object(outputs.Select(o => new KeyValuePair<string, ExprValue>(o.Key, ExprValue.String(o.Value))))),
                new("duration", ExprValue.Number(Math.Round(r.Duration.TotalSeconds, 3))),
                new("attempts", ExprValue.Number(r.Attempts.Count)),
                new("error", ExprValue.String(r.Error)),
                new("stdout", ExprValue.String(r.Stdout)),
                new("stderr", ExprValue.String(r.Stderr)),
            ])));
        }
        return ExprValue.Object(entries);
    }

    public void Dispose()
    {
        Http.Dispose();
        Slots.Dispose();
        StopRunning.Dispose();
        if (_scratchRoot is not null)
        {
            try { Directory.Delete(_scratchRoot, recursive: true); }
            catch (IOException) { /* a file still open on Windows: temp space is cleaned by the OS */ }
            catch (UnauthorizedAccessException) { }
        }
    }
}
