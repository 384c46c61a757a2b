using Pipeline.Core.Model;
using Pipeline.Engine.Events;

namespace Pipeline.Engine.Executors;

/// <summary>
/// Runs a <see cref="CodeTask"/>: its C# action, with a context to log lines and to skip itself.
/// An exception fails the task with its message; cancellation propagates as for any task.
/// </summary>
public sealed class CodeExecutor : ITaskExecutor
{
    public async Task<ExecutionOutcome> ExecuteAsync(TaskInvocation invocation, CancellationToken cancellationToken)
    {
        var task = (CodeTask)invocation.Task;
        var log = new System.Text.StringBuilder();
        var context = new CodeTaskContext(task.Id.Value, line =>
        {
            lock (log) log.Append(line).Append('\n');
            invocation.Output(OutputStream.Stdout, line);
        }, invocation.Recorded);
        try
        {
            await task.Action(context, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            var error = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0] : e;
            return new ExecutionOutcome { Succeeded = false, Error = error.Message, Stdout = Text(log) };
        }
        return new ExecutionOutcome { Succeeded = true, SkipReason = context.SkipReason, Stdout = Text(log) };
    }

    private static string Text(System.Text.StringBuilder log)
    {
        lock (log) return log.ToString();
    }
}
