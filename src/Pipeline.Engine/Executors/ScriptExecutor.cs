using Pipeline.Core.Model;

namespace Pipeline.Engine.Executors;

/// <summary>
/// javascript and python: an inline <c>script</c> is written to a file in the attempt's scratch folder
/// (so stack traces name a file) in the run's scratch folder and run with <c>node</c> or <c>python3</c>; a <c>file</c> runs where
/// it is. Inline JavaScript runs as CommonJS (<c>require</c> works). Arguments are rendered and passed as argv. Scripts read values from environment variables
/// (<c>process.env.X</c>, <c>os.environ["X"]</c>); <c>${...}</c> is not substituted inside a script.
/// </summary>
public sealed class ScriptExecutor : ITaskExecutor
{
    public Task<ExecutionOutcome> ExecuteAsync(TaskInvocation invocation, CancellationToken cancellationToken)
    {
        var task = (ScriptTask)invocation.Task;
        string path;
        if (task.Script is not null)
        {
            path = invocation.ScratchFile(task is PythonTask ? "script.py" : "script.cjs");
            File.WriteAllText(path, task.Script.Value);
        }
        else
        {
            path = Path.GetFullPath(invocation.Render(task.File!), invocation.WorkflowDirectory);
            if (!File.Exists(path))
                return Task.FromResult(ExecutionOutcome.Fail($"script file '{path}' does not exist"));
        }
        var args = new List<string>();
        if (task is PythonTask) args.Add("-u"); // unbuffered, so lines stream as they are printed
        args.Add(path);
        args.AddRange(task.Args.Select(invocation.Render));
        return ProcessExecution.RunAsync(invocation, task.Interpreter, args, null, cancellationToken);
    }
}
