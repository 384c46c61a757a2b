using Pipeline.Core.Expressions;
using Pipeline.Core.Model;
using Pipeline.Engine.Running;

namespace Pipeline.Engine.Executors;

/// <summary>
/// loop: runs the template task once per item with <c>${item}</c> and <c>${index}</c> (from 0).
/// Items are a literal list or an expression that yields an array (a string holding a JSON array
/// is accepted too, so an output can feed a loop). Items run one at a time unless <c>parallel</c> is
/// set (true: all at once; a number: at most that many). With <c>stop_on_failure</c> (the default)
/// no new item starts after one fails; items already running finish. The loop fails when an item
/// fails. Outputs: <c>count</c>, <c>succeeded</c>, <c>failed</c>.
/// </summary>
public sealed class LoopExecutor(Func<string, TaskDefinition> findTask) : ITaskExecutor
{
    public async Task<ExecutionOutcome> ExecuteAsync(TaskInvocation invocation, CancellationToken cancellationToken)
    {
        var task = (LoopTask)invocation.Task;
        IReadOnlyList<ExprValue> items;
        try
        {
            items = task.Items ?? EvaluateItems(task.ItemsExpression!.Value, invocation.Expressions);
        }
        catch (InvalidOperationException e)
        {
            return ExecutionOutcome.Fail(e.Message);
        }

        var template = findTask(task.Template.Id);
        var limit = task.Parallelism <= 0 ? int.MaxValue : task.Parallelism;
        using var gate = new SemaphoreSlim(Math.Min(limit, Math.Max(1, items.Count)));
        var stop = false;
        var results = new TaskResult?[items.Count];
        var running = new List<Task>();
        for (var i = 0; i < items.Count; i++)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (stop) { gate.Release(); break; }
            var index = i;
            running.Add(Task.Run(async () =>
            {
                try
                {
                    var scope = new Dictionary<string, ExprValue> { [ExpressionRoots.Item] = items[index], [ExpressionRoots.Index] = ExprValue.Number(index) };
                    var r = await invocation.Children.RunChildAsync(template, "task", scope, $"[{index}]", cancellationToken).ConfigureAwait(false);
                    results[index] = r;
                    if (!r.Satisfies && r.State != TaskState.Skipped && task.StopOnFailure) stop = true;
                }
                finally { gate.Release(); }
            }, CancellationToken.None));
        }
        await Task.WhenAll(running).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        var finished = results.Where(r => r is not null).Select(r => r!).ToList();
        var failed = finished.Where(r => !r.Satisfies && r.State != TaskState.Skipped).ToList();
        var outputs = new Dictionary<string, string>
        {
            ["count"] = items.Count.ToString(),
            ["succeeded"] = finished.Count(r => r.State.IsSuccess()).ToString(),
            ["failed"] = failed.Count.ToString(),
        };
        if (failed.Count == 0) return new ExecutionOutcome { Succeeded = true, Outputs = outputs };
        var notRun = items.Count - finished.Count;
        return new ExecutionOutcome
        {
            Succeeded = false,
            Outputs = outputs,
            Error = $"{failed.Count} of {items.Count} items failed (first: {failed[0].InstanceId}: {failed[0].Error})" +
                (notRun > 0 ? $"; {notRun} not started (stop_on_failure)" : ""),
        };
    }

    private static IReadOnlyList<ExprValue> EvaluateItems(string text, ExpressionContext context)
    {
        var parsed = Parser.ParseStandalone(text);
        if (!parsed.Success) throw new InvalidOperationException($"items expression does not parse: {parsed.Error!.Message}");
        var value = Evaluator.Evaluate(parsed, context);
        if (value.Kind == ExprKind.Array) return value.AsArray;
        if (value.Kind == ExprKind.String)
        {
            try
            {
                var json = Evaluator.FromJson(value.AsString);
                if (json.Kind == ExprKind.Array) return json.AsArray;
            }
            catch (Exception) { /* fall through to the error below */ }
        }
        throw new InvalidOperationException($"items expression '{text}' gave {value.Kind.ToString().ToLowerInvariant()}, not a list; write fromJSON(...) around a JSON text");
    }
}
