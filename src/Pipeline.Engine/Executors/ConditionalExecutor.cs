using Pipeline.Core.Expressions;
using Pipeline.Core.Model;
using Pipeline.Engine.Running;

namespace Pipeline.Engine.Executors;

/// <summary>
/// conditional: evaluates <c>condition</c> and runs the <c>then</c> tasks, or the <c>else</c> tasks, one
/// after another, stopping at the first failure. Output <c>branch</c> is "then", "else" or "none".
/// </summary>
public sealed class ConditionalExecutor(Func<string, TaskDefinition> findTask) : ITaskExecutor
{
    public async Task<ExecutionOutcome> ExecuteAsync(TaskInvocation invocation, CancellationToken cancellationToken)
    {
        var task = (ConditionalTask)invocation.Task;
        var parsed = Parser.ParseStandalone(task.Condition!.Value);
        if (!parsed.Success) return ExecutionOutcome.Fail($"condition does not parse: {parsed.Error!.Message}");
        var value = Evaluator.Evaluate(parsed, invocation.Expressions);
        var (branch, refs) = value.IsTruthy ? ("then", task.Then) : ("else", task.Else);
        var outputs = new Dictionary<string, string> { ["branch"] = refs.Count == 0 ? "none" : branch };
        foreach (var r in refs)
        {
            var result = await invocation.Children.RunChildAsync(findTask(r.Id), branch, null, null, cancellationToken).ConfigureAwait(false);
            if (!result.Satisfies && result.State != TaskState.Skipped)
                return new ExecutionOutcome { Succeeded = false, Error = $"{branch} task '{r.Id}' {result.State.Name()}: {result.Error ?? result.Reason}", Outputs = outputs };
        }
        return new ExecutionOutcome { Succeeded = true, Outputs = outputs };
    }
}
