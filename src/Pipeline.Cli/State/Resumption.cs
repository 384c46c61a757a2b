using System.Text.Json;
using Pipeline.Cli.Running;
using Pipeline.Core.Model;
using Pipeline.Engine.Running;
using Pipeline.State;

namespace Pipeline.Cli;

/// <summary>An execution to continue: its id, its definition, and what it already did.</summary>
internal sealed record ResumePlan(string ExecutionId, WorkflowDefinition Definition, IReadOnlyDictionary<string, TaskResult> Done, int Rerun);

/// <summary>
/// <c>workflow resume &lt;id&gt;</c> and <c>workflow run --resume</c>: continue an execution that was
/// interrupted (or that failed). Tasks that succeeded are not run again and their outputs are
/// restored (as recorded, so secret values in outputs come back masked); tasks that were running are
/// run again, which is why tasks must be idempotent, unless marked <c>resumable: false</c>, which
/// fails the run instead. A definition changed since is refused unless <c>--force</c>.
/// </summary>
internal static class Resumption
{
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
        }
        else
        {
            definition = WorkflowInput.Load(workflowArgument, config, verbose, error);
            if (definition is null) return null;
            execution = store.History(new HistoryQuery { Workflow = definition.Name.Value, Status = "running", Limit = 1 }).FirstOrDefault();
            if (execution is null)
            {
                error.WriteLine($"workflow: no interrupted run of '{definition.Name.Value}' to resume (workflow history --status running lists them)");
                return null;
            }
        }

        if (execution.Status == "succeeded")
        {
            error.WriteLine($"workflow: execution {execution.Id} succeeded; there is nothing to resume (run the workflow again instead)");
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
        var hash = StateStores.HashOf(definition.Path);
        if (execution.ContentHash is not null && hash != execution.ContentHash && !force)
        {
            error.WriteLine($"workflow: {definition.Path} changed since execution {execution.Id} ran; resuming could mix two versions of the workflow");
            error.WriteLine("    hint: run it anew, or resume anyway with --force");
            return null;
        }

        var detail = store.Find(execution.Id)!;
        var done = new Dictionary<string, TaskResult>(StringComparer.Ordinal);
        var rerun = 0;
        foreach (var t in detail.Tasks.Where(t => t.Role == "dag"))
        {
            var task = definition.FindTask(t.TaskId);
            if (task is null) continue; // gone from the definition (with --force)
            if (t.Status == "succeeded")
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
                    Outputs = t.Outputs is null ? new Dictionary<string, string>() : JsonSerializer.Deserialize<Dictionary<string, string>>(t.Outputs)!,
                };
            else if (t.Status == "running" && !task.Resumable)
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
        return new ResumePlan(execution.Id, definition, done, rerun);
    }

}
