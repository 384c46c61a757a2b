using Pipeline.Core.Model;
using Pipeline.Engine.Running;

namespace Pipeline.Engine.Executors;

/// <summary>
/// parallel: starts every task of the group at once (each still takes a slot of the run's
/// max_parallel). As soon as the group's outcome is known the other members are cancelled:
/// <c>all</c> succeeds when every member succeeds and fails at the first failure; <c>any</c> succeeds
/// at the first success and fails when all have failed; <c>first</c> ends with the first member to
/// finish, whatever its outcome. The group's own timeout bounds the whole group.
/// </summary>
public sealed class ParallelExecutor(Func<string, TaskDefinition> findTask) : ITaskExecutor
{
    public async Task<ExecutionOutcome> ExecuteAsync(TaskInvocation invocation, CancellationToken cancellationToken)
    {
        var task = (ParallelTask)invocation.Task;
        using var group = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = task.Tasks
            .Select(r => invocation.Children.RunChildAsync(findTask(r.Id), "tasks", null, null, group.Token))
            .ToList();
        var done = new List<TaskResult>();
        ExecutionOutcome? decided = null;
        while (pending.Count > 0)
        {
            var finished = await Task.WhenAny(pending).ConfigureAwait(false);
            pending.Remove(finished);
            var r = await finished.ConfigureAwait(false);
            done.Add(r);
            if (decided is not null) continue;
            decided = task.WaitFor switch
            {
                WaitFor.First => Outcome(r.Satisfies || r.State == TaskState.Skipped, r, "first"),
                WaitFor.Any when r.Satisfies => Outcome(true, r, "any"),
                WaitFor.All when !r.Satisfies && r.State != TaskState.Skipped => Outcome(false, r, "all"),
                _ => null,
            };
            if (decided is not null) group.Cancel(); // the rest are no longer needed
        }
        cancellationToken.ThrowIfCancellationRequested();
        decided ??= task.WaitFor == WaitFor.Any
            ? new ExecutionOutcome { Succeeded = false, Error = "no task of the group succeeded" }
            : new ExecutionOutcome { Succeeded = true };
        var outputs = new Dictionary<string, string>(decided.Outputs)
        {
            ["succeeded"] = done.Count(r => r.State.IsSuccess()).ToString(),
            ["failed"] = done.Count(r => r.State.IsFailure()).ToString(),
        };
        return decided with { Outputs = outputs };
    }

    private static ExecutionOutcome Outcome(bool ok, TaskResult deciding, string rule) => new()
    {
        Succeeded = ok,
        Error = ok ? null : $"task '{deciding.TaskId}' {deciding.State.Name()} (wait_for: {rule}): {deciding.Error ?? deciding.Reason}",
        Outputs = new Dictionary<string, string> { ["winner"] = deciding.TaskId },
    };
}
