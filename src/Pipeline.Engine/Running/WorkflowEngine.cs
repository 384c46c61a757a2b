using Pipeline.Core.Diagnostics;
using Pipeline.Core.Model;
using Pipeline.Engine.Events;
using Pipeline.Engine.Executors;
using Pipeline.Engine.Planning;

namespace Pipeline.Engine.Running;

/// <summary>
/// Runs a workflow: the DAG in parallel (see <see cref="DagScheduler"/>), then, when the run failed
/// or was cancelled, the workflow's rollback tasks. Publishes every step as an event and returns
/// the run's result. The engine reads no workflow files and writes to no console.
/// </summary>
public sealed class WorkflowEngine
{
    /// <summary>Tasks the engine cannot run (types without an executor: docker without its plug-in), as WF4010 diagnostics.</summary>
    public static IReadOnlyList<Diagnostic> CheckSupported(ExecutionPlan plan, RunOptions? options = null)
    {
        var registry = new ExecutorRegistry(_ => throw new InvalidOperationException(), options?.Executors);
        return plan.Workflow.Tasks.Where(t => !registry.Supports(t.Type))
            .Select(t => new Diagnostic(Descriptors.TaskTypeNotRunnable, t.TypeSpan,
                $"task '{t.Id.Value}' has type '{TaskTypes.NameOf(t.Type)}', which this engine has no executor for",
                "docker tasks need the Pipeline.Executors.Docker plug-in: RunOptions.Executors = DockerExecutors.Overrides (the workflow tool, serve and the build host set it)"))
            .ToList();
    }

    public async Task<RunResult> RunAsync(ExecutionPlan plan, RunOptions options, CancellationToken cancellationToken = default)
    {
        var executionId = options.ExecutionId ?? NewExecutionId();
        var maxParallel = Math.Max(1, options.MaxParallel ?? plan.Workflow.MaxParallel?.Value ?? Environment.ProcessorCount);
        DagScheduler? scheduler = null;
        using var run = new RunState(plan, options, executionId, maxParallel, () => scheduler?.SlotReleased()) { UserToken = cancellationToken };
        var registry = new ExecutorRegistry(run.Find, options.Executors);
        var runner = new TaskRunner(run, registry);
        scheduler = new DagScheduler(run, runner, registry);

        using var span = Telemetry.EngineTelemetry.StartRun(plan.Workflow, executionId, options);
        run.Publish(new RunStarted(executionId, run.StartedAt, plan, maxParallel));
        await scheduler.RunAsync(cancellationToken).ConfigureAwait(false);

        if (run.Failing || cancellationToken.IsCancellationRequested)
            await Rollback.RunAsync(run, runner, scheduler.Done).ConfigureAwait(false);
        await Processes.ProcessRunner.SettleAsync().ConfigureAwait(false);

        var status = cancellationToken.IsCancellationRequested ? RunStatus.Cancelled
            : run.Failing || run.DeferredFailure is not null ? RunStatus.Failed : RunStatus.Succeeded;
        var result = new RunResult
        {
            ExecutionId = executionId,
            Workflow = plan.Workflow.Name.Value,
            File = plan.Workflow.Path,
            Status = status,
            StartedAt = run.StartedAt,
            FinishedAt = DateTimeOffset.UtcNow,
            Tasks = run.Finished,
            CriticalPathTaken = CriticalPathTaken(plan, scheduler.Done),
            Error = status == RunStatus.Cancelled ? "the run was cancelled" : run.FirstFailure ?? run.DeferredFailure,
            Warnings = run.ObserverError is { } e ? [.. run.Warnings, $"an observer of the run failed: {e.GetType().Name}: {e.Message}"] : run.Warnings,
        };
        Telemetry.EngineTelemetry.FinishRun(span, result with { Error = run.Masker.ApplyOrNull(result.Error) });
        run.Publish(new RunFinished(executionId, result.FinishedAt, result));
        return result;
    }

    /// <summary>
    /// UTC start time to the millisecond, then six random hex digits: ids sort by start time and never
    /// collide in practice. The digits need not be secret, so they come from <see cref="Random.Shared"/>:
    /// the cryptographic generator loads OpenSSL, about a tenth of a one-task run's time.
    /// </summary>
    public static string NewExecutionId() =>
        DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfff'Z'") + "-" + Random.Shared.Next(1 << 24).ToString("x6");

    /// <summary>From the DAG task that finished last, back through the dependency that finished last each time.</summary>
    private static IReadOnlyList<string> CriticalPathTaken(ExecutionPlan plan, IReadOnlyDictionary<string, TaskResult> done)
    {
        var ran = done.Values.Where(r => r.StartedAt is not null).ToList();
        if (ran.Count == 0) return [];
        var graph = plan.Graph;
        var path = new List<string>();
        var current = graph.IndexOf(ran.MaxBy(r => r.FinishedAt)!.TaskId);
        while (current >= 0)
        {
            path.Add(graph.Nodes[current]);
            var next = -1;
            DateTimeOffset? latest = null;
            foreach (var d in graph.DependencyIndices(current))
                if (done.TryGetValue(graph.Nodes[d], out var r) && r.StartedAt is not null && (next < 0 || r.FinishedAt > latest))
                    (next, latest) = (d, r.FinishedAt);
            current = next;
        }
        path.Reverse();
        return path;
    }
}
