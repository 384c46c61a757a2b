using Pipeline.Core.Expressions;
using Pipeline.Core.Model;
using Pipeline.Engine.Processes;

namespace Pipeline.Engine.Executors;

/// <summary>
/// shell: <c>sh -e -c</c> on Unix (bash, pwsh and cmd on request), with every <c>${...}</c> passed as
/// an environment variable (see <see cref="ShellScript"/>). <c>-e</c> makes a multi-line command stop
/// at its first failing line, as GitHub Actions does. Like make, a command with no shell syntax at
/// all (<c>dotnet build -c Release</c>) runs directly, without starting a shell first.
/// </summary>
public sealed class ShellExecutor : ITaskExecutor
{
    public static string DefaultShell => OperatingSystem.IsWindows() ? "pwsh" : "sh";

    public Task<ExecutionOutcome> ExecuteAsync(TaskInvocation invocation, CancellationToken cancellationToken)
    {
        var task = (ShellTask)invocation.Task;
        var shell = task.Shell?.Value ?? DefaultShell;
        var built = ShellScript.Build(InterpolatedString.Parse(task.Command.Value), shell,
            e => Evaluator.Evaluate(e, invocation.Expressions).ToText());
        if (shell == "sh" && built.Variables.Count == 0 && SimpleCommand.TrySplit(built.Script) is { } words
            && Processes.Executables.Find(words[0], invocation.Environment) is { } found)
            return ProcessExecution.RunFoundAsync(invocation, found, words[1..], cancellationToken);
        var (program, args) = shell switch
        {
            "bash" => ("bash", new[] { "-e", "-c", built.Script }),
            "pwsh" => ("pwsh", new[] { "-NoProfile", "-NonInteractive", "-Command", built.Script }),
            "powershell" => ("powershell", new[] { "-NoProfile", "-NonInteractive", "-Command", built.Script }),
            "cmd" => ("cmd", new[] { "/d", "/s", "/c", built.Script }),
            _ => ("sh", new[] { "-e", "-c", built.Script }),
        };
        return ProcessExecution.RunAsync(invocation, program, args, built.Variables, cancellationToken);
    }
}
