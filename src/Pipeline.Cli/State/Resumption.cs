using System.Text.Json;
using Pipeline.Cli.Running;
using Pipeline.Core.Model;
using Pipeline.Engine.Processes;
using Pipeline.Engine.Running;
using Pipeline.Executors.Docker;
using Pipeline.State;

namespace Pipeline.Cli;

/// <summary>An execution to continue: its id, its definition, and what it already did.</summary>
internal sealed record ResumePlan(string ExecutionId, WorkflowDefinition Definition, IReadOnlyDictionary<string, TaskResult> Done, int Rerun)
{
    /// <summary>Task instances the interrupted run recorded as running, with the process each one ran.</summary>
    public IReadOnlyList<TaskRunRecord> WereRunning { get; init; } = [];
}

/// <summary>
/// <c>workflow resume &lt;id&gt;</c> and <c>workflow run --resume</c>: continue an execution that was
/// interrupted, cancelled or that failed (<c>run --resume</c> takes the workflow's latest execution,
/// and refuses when that one succeeded). Tasks that succeeded are not run again and their outputs
/// are restored (as recorded, so secret values in outputs come back masked), as long as every task
/// they depend on is restored too: a task that ran anyway (an <c>always()</c> task during the
/// cancellation, a dependent of a <c>continue_on_error</c> failure) runs again after what it depends
/// on has run. Tasks that were running are run again, which is why tasks must be idempotent, unless
/// marked <c>resumable: false</c>, which fails the run instead. A definition changed since is refused
/// unless <c>--force</c>.
/// </summary>
internal static class Resumption
{
    /// <summary>Runs of a build project (they resume with the build's own <c>--continue</c>).</summary>
    private const string BuildTrigger = "build";

    public static ResumePlan? Prepare(IStateStore store, string? executionId, string? workflowArgument, bool force, FileInfo? config, bool verbose, TextWriter error)
    {
        ExecutionRecord? execution;
        WorkflowDefinition? definition = null;
        if (executionId is not null)
        {
            execution = store.Find(executionId)?.Execution;
            if (execution is null)
            {
                error.WriteLine($"workflow: no single execution matches '{executionId}' (workflow history lists them)");
                return null;
            }
            if (execution.Trigger == BuildTrigger)
            {
                error.WriteLine($"workflow: execution {execution.Id} was run by a build project; its targets and subsets are not a workflow file to resume");
                error.WriteLine("    hint: run the build again with the same arguments and --continue, which skips what succeeded");
                return null;
            }
        }
        else
        {
            definition = WorkflowInput.Load(workflowArgument, config, verbose, error);
            if (definition is null) return null;
            // The latest run that started any work (a run skipped by its concurrency policy did none).
            execution = store.History(new HistoryQuery { Workflow = definition.Name.Value, Limit = 50 }).FirstOrDefault(e => e.Status != "skipped" && e.Trigger != BuildTrigger);
            if (execution is null)
            {
                error.WriteLine($"workflow: '{definition.Name.Value}' has no run to resume (workflow history lists its runs)");
                return null;
            }
        }

        if (execution.Status is "succeeded" or "skipped")
        {
            error.WriteLine($"workflow: execution {execution.Id} {execution.Status}; there is nothing to resume (run the workflow again instead)");
            return null;
        }
        if (execution.Status == "running" && StateStores.IsAlive(execution))
        {
            error.WriteLine($"workflow: execution {execution.Id} is still running (process {execution.Pid} on this machine); stop it first");
            return null;
        }
        if (execution.File is null || !File.Exists(execution.File))
        {
            error.WriteLine($"workflow: the workflow file of execution {execution.Id} ({execution.File ?? "unknown"}) is gone");
            return null;
        }
        definition ??= WorkflowInput.Load(execution.File, config, verbose, error);
        if (definition is null) return null;
        if (execution.ContentHash is not null && !StateLocation.SameContent(definition.Path, execution.ContentHash) && !force)
        {
            error.WriteLine($"workflow: {definition.Path} changed since execution {execution.Id} ran; resuming could mix two versions of the workflow");
            error.WriteLine("    hint: run it anew, or resume anyway with --force");
            return null;
        }

        var detail = store.Find(execution.Id)!;
        var done = new Dictionary<string, TaskResult>(StringComparer.Ordinal);
        var rerun = 0;
        var restorable = Restorable(definition, detail.Tasks.Where(t => t.Role == "dag" && TaskStates.IsSuccessName(t.Status)).Select(t => t.TaskId));
        foreach (var t in detail.Tasks.Where(t => t.Role == "dag"))
        {
            var task = definition.FindTask(t.TaskId);
            if (task is null) continue; // gone from the definition (with --force)
            if (TaskStates.IsSuccessName(t.Status) && restorable.Contains(t.TaskId))
                done[t.TaskId] = new TaskResult
                {
                    InstanceId = t.InstanceId,
                    TaskId = t.TaskId,
                    TaskType = TaskTypes.NameOf(task.Type),
                    State = TaskState.Succeeded,
                    StartedAt = t.StartedAt,
                    FinishedAt = t.FinishedAt,
                    ExitCode = t.ExitCode,
                    Reason = "succeeded before the run was interrupted; not run again",
                    Outputs = t.Outputs is null ? new Dictionary<string, string>() : Pipeline.Engine.Json.PipelineJson.Deserialize<Dictionary<string, string>>(t.Outputs)!,
                };
            // Running when the runner died, or stopped mid-way by a cancellation: interrupted either way.
            else if (t.Status is "running" or "cancelled" && t.StartedAt is not null && !task.Resumable)
                done[t.TaskId] = new TaskResult
                {
                    InstanceId = t.InstanceId,
                    TaskId = t.TaskId,
                    TaskType = TaskTypes.NameOf(task.Type),
                    State = TaskState.Failed,
                    Error = "it was running when the run was interrupted, and it is marked resumable: false, so it is not run again",
                };
            else if (t.Status == "running") rerun++;
        }
        return new ResumePlan(execution.Id, definition, done, rerun)
        {
            WereRunning = detail.Tasks.Where(t => t.Status == "running" && t.ProcessId is not null).ToList(),
        };
    }

    /// <summary>
    /// Stops what the interrupted run's tasks left running (its runner was killed before it could,
    /// and no watchdog did), so a task run again never overlaps its old copy: SIGTERM, the grace
    /// period, SIGKILL, as for a cancelled run.
    /// </summary>
    public static async Task StopLeftoversAsync(ResumePlan plan, TimeSpan grace, TextWriter error)
    {
        if (plan.Definition.Tasks.Any(t => t is DockerTask)) await RemoveContainersAsync(plan.ExecutionId, error);
        var all = new List<LeftoverProcess>();
        foreach (var task in plan.WereRunning)
        {
            var left = LeftoverProcesses.Find(task.ProcessId!.Value, task.ProcessStart);
            if (left.Count == 0) continue;
            error.WriteLine($"workflow: task '{task.InstanceId}' of the interrupted run still runs ({left.Count} process(es) in session {task.ProcessId}); stopping them before it runs again");
            all.AddRange(left);
        }
        if (all.Count == 0) return;
        var killed = await LeftoverProcesses.StopAsync(all, grace);
        if (killed > 0) error.WriteLine($"workflow: {killed} process(es) ignored SIGTERM for {DurationText.Format(grace)} and were killed");
    }

    /// <summary>The interrupted run's containers (labelled with its execution id): removed, as its runner would have.</summary>
    private static async Task RemoveContainersAsync(string executionId, TextWriter error)
    {
        try
        {
            foreach (var name in await DockerLeftovers.RemoveAsync(executionId))
                error.WriteLine($"workflow: removed container {name}, left by the interrupted run");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or System.Net.Sockets.SocketException or Docker.DotNet.DockerApiException)
        {
            error.WriteLine($"workflow: could not look for containers the interrupted run left ({e.GetBaseException().Message}); its docker tasks remove their own when they run again");
        }
    }

    /// <summary>
    /// The succeeded tasks whose dependencies are all restored too, so what they read is what they
    /// read the first time. Worked off a queue (O(tasks + edges)): each task not restored takes its
    /// dependents out with it.
    /// </summary>
    private static HashSet<string> Restorable(WorkflowDefinition definition, IEnumerable<string> succeeded)
    {
        var restored = new HashSet<string>(succeeded, StringComparer.Ordinal);
        var dependents = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var task in definition.Tasks)
            foreach (var dependency in task.DependsOn)
            {
                if (!dependents.TryGetValue(dependency.Id, out var list)) dependents[dependency.Id] = list = [];
                list.Add(task.Id.Value);
            }
        var lost = new Queue<string>(definition.Tasks.Select(t => t.Id.Value).Where(id => !restored.Contains(id)));
        while (lost.Count > 0)
            if (dependents.TryGetValue(lost.Dequeue(), out var list))
                foreach (var dependent in list)
                    if (restored.Remove(dependent)) lost.Enqueue(dependent);
        return restored;
    }

}
