using Pipeline.Engine.Events;
using Pipeline.Engine.Processes;

namespace Pipeline.Engine.Executors;

/// <summary>What shell, javascript and python tasks share: start a process, collect outputs, report the exit code.</summary>
internal static class ProcessExecution
{
    public static Task<ExecutionOutcome> RunAsync(TaskInvocation invocation, string program, IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string>? extraEnvironment, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string?>(invocation.Environment, StringComparer.Ordinal);
        if (extraEnvironment is not null)
            foreach (var (k, v) in extraEnvironment) environment[k] = v;

        var resolved = Executables.Find(program, environment);
        if (resolved is null)
            return Task.FromResult(ExecutionOutcome.Fail($"'{program}' was not found on PATH; install it or put it on PATH (task '{invocation.Task.Id.Value}' needs it)"));
        return RunFoundAsync(invocation, resolved, arguments, environment, cancellationToken);
    }

    /// <summary>Runs a program already found on PATH (<see cref="Executables.Find"/>) with the task's environment.</summary>
    public static Task<ExecutionOutcome> RunFoundAsync(TaskInvocation invocation, string resolved, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RunFoundAsync(invocation, resolved, arguments, new Dictionary<string, string?>(invocation.Environment, StringComparer.Ordinal), cancellationToken);

    private static async Task<ExecutionOutcome> RunFoundAsync(TaskInvocation invocation, string resolved, IReadOnlyList<string> arguments,
        Dictionary<string, string?> environment, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(invocation.WorkingDirectory))
            return ExecutionOutcome.Fail($"working directory '{invocation.WorkingDirectory}' does not exist");

        // Not created in advance: `>>` creates it, and most tasks publish nothing.
        var outputPath = invocation.ScratchFile("outputs.txt");
        environment[OutputFile.Variable] = outputPath;

        var spec = new ProcessSpec(resolved, arguments, invocation.WorkingDirectory, environment) { Inherited = invocation.InheritedEnvironment };
        var outcome = await ProcessRunner.RunAsync(spec, invocation.Output, cancellationToken, invocation.Stop, invocation.ProcessStarted).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        var outputs = OutputFile.Read(outputPath, out var errors);
        foreach (var e in errors) invocation.Output(OutputStream.Stderr, "workflow: " + e);
        return new ExecutionOutcome
        {
            Succeeded = outcome.ExitCode == 0,
            ExitCode = outcome.ExitCode,
            Error = outcome.ExitCode == 0 ? null : $"exited with code {outcome.ExitCode}{LastLine(outcome.Stderr)}",
            Outputs = outputs,
            Stdout = outcome.Stdout,
            Stderr = outcome.Stderr,
        };
    }

    /// <summary>The last line of stderr, which usually says why a program failed.</summary>
    private static string LastLine(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "" : ": " + (lines[^1].Length > 300 ? lines[^1][..300] + "..." : lines[^1]);
    }
}
