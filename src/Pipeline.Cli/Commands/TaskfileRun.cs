using Pipeline.Cli.Output;
using Pipeline.Cli.Running;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Loading;
using Pipeline.Core.Validation;
using Pipeline.Engine.Reporting;
using Pipeline.Engine.Running;
using Pipeline.Engine.Taskfile;
using Pipeline.State;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>workflow run -t Taskfile.yml build</c>: runs Taskfile tasks the way go-task does (see docs/taskfile.md),
/// with go-task's console output, and records the run like any other (state store, report.json and logs).
/// </summary>
public static class TaskfileRun
{
    public sealed record Request(
        string Taskfile,
        IReadOnlyList<string> Targets,
        IReadOnlyList<string> CliArgs,
        bool List,
        bool ListAll,
        bool Summary,
        bool Force,
        bool DryRun,
        bool Silent,
        bool Parallel,
        bool AssumeYes,
        bool PassExitCode,
        string? Output,
        int? MaxParallel,
        string StateDir,
        OutputFormat Format,
        bool Verbose);

    public static async Task<int> RunAsync(Request request)
    {
        var error = Console.Error;
        var read = WorkflowLoader.Load(request.Taskfile, WorkflowFileKind.Taskfile); // -t names a Taskfile whatever its file name
        var diagnostics = WorkflowValidator.Validate(read);
        // A file without a version (an empty one too) stops as go-task stops, with its one line.
        if (diagnostics.FirstOrDefault(d => d.Severity == Severity.Error && d.Message.StartsWith(Pipeline.Core.Taskfile.TaskfileReader.MissingVersionMessage, StringComparison.Ordinal)) is { } missing)
        {
            error.WriteLine($"task: {Pipeline.Core.Taskfile.TaskfileReader.MissingVersion(request.Taskfile)}");
            return ExitCodes.InvalidInput;
        }
        // Only errors: warnings and notes belong to `workflow validate`, not to go-task's streams.
        foreach (var d in diagnostics.Where(d => d.Severity == Severity.Error)) TextReporter.WriteDiagnostic(error, d, read.Document);
        if (diagnostics.Any(d => d.Severity == Severity.Error) || read.Taskfile is null)
        {
            error.WriteLine($"{request.Taskfile}: not run: fix the errors above (workflow validate {request.Taskfile} checks the file)");
            return ExitCodes.InvalidInput;
        }

        TaskfileProject project;
        try { project = TaskfileProject.Load(read.Taskfile); }
        catch (TaskfileInvalidException e)
        {
            foreach (var d in e.Diagnostics) TextReporter.WriteDiagnostic(error, d, null);
            return ExitCodes.InvalidInput;
        }
        catch (TaskfileException e) // an include's checksum, a template in an include path
        {
            error.WriteLine(e.Message);
            return e.ExitCode;
        }

        var (tasks, variables) = SplitTargets(request.Targets);
        if (request.List || request.ListAll)
        {
            if (request.Format == OutputFormat.Json) TaskfileListPrinter.WriteJson(Console.Out, project, request.ListAll);
            else if (!TaskfileListPrinter.WriteListOrNone(Console.Out, project, request.ListAll)) return ExitCodes.WorkflowFailed;
            return ExitCodes.Success;
        }
        if (tasks.Count == 0) tasks.Add("default");
        // As go-task: a task that does not exist lists the tasks with a description first, then says so.
        foreach (var name in tasks.Where(_ => !request.Summary))
        {
            try { project.Resolve(name, null, out _, out _); }
            catch (TaskNotFoundException e)
            {
                TaskfileListPrinter.WriteListOrNone(Console.Out, project, all: false);
                error.WriteLine(e.Message);
                return e.ExitCode;
            }
            catch (TaskfileException) { break; } // other problems are the run's to report
        }
        if (request.Summary)
        {
            for (var i = 0; i < tasks.Count; i++)
            {
                if (i > 0) Console.Out.Write(TaskfileSummary.Separator);
                try { Console.Out.Write(await TaskfileSummary.RenderAsync(project, project.Resolve(tasks[i], null, out _, out _), variables)); }
                catch (TaskfileException e)
                {
                    error.WriteLine(e.Message);
                    return e.ExitCode;
                }
            }
            return ExitCodes.Success;
        }

        using var cancel = new CancellationTokenSource();
        using var cleanup = new CancellationTokenSource();
        using var signals = new SignalHandler(cancel, cleanup, error, "task: Signal received: cancelling the running tasks (their processes are killed)");
        using var report = new RunReportWriter(request.StateDir);
        // Recorded like a workflow run (history, status, metrics); not resumable: go-task's own
        // up-to-date checks (sources, status) are how a Taskfile skips work already done.
        using var store = request.DryRun ? null : StateStores.OpenOrWarn(request.StateDir, error);
        // NAME=value under a name declared secret: true (or one that looks secret) is masked in output and stored as ***.
        var secretNames = project.SecretNames();
        var secretVariables = variables.Where(v => Pipeline.Engine.Secrets.SecretNames.IsSecret(v.Key, secretNames)).ToList();
        try
        {
            foreach (var (name, value) in secretVariables.Where(v => secretNames.Contains(v.Key))) SecretTooShortException.Check(name, value);
        }
        catch (SecretTooShortException e)
        {
            error.WriteLine(e.Message);
            return e.ExitCode;
        }
        var recording = new RunRecording(store, new RunContext
        {
            ContentHash = StateStores.HashOf(request.Taskfile),
            Parameters = Pipeline.Engine.Secrets.SecretNames.MaskParameters(variables, secretNames),
            LogPath = report.LogPath,
        });
        var mode = request.Output ?? read.Taskfile.Output?.Value ?? "interleaved";
        var options = new TaskfileRunOptions
        {
            Variables = variables,
            Secrets = secretVariables.Select(v => v.Value).Where(v => Pipeline.Engine.Secrets.SecretMasker.Problem(v) is null).ToList(),
            CliArgs = request.CliArgs,
            Force = request.Force,
            DryRun = request.DryRun,
            Silent = request.Silent,
            Verbose = request.Verbose,
            MaxParallel = request.MaxParallel,
            Parallel = request.Parallel,
            AssumeYes = request.AssumeYes,
            Prompt = TaskfileCommandLine.ConsolePrompt,
            CleanupToken = cleanup.Token,
            Observers = recording.Observers(report, new TaskfileConsole(Console.Out, error, mode, request.Verbose)),
        };
        var result = await new TaskfileRunner(project, options).RunAsync(tasks, cancel.Token);
        await recording.CompleteAsync();
        foreach (var warning in recording.Finish(request.StateDir)) error.WriteLine($"workflow: warning: {warning}");

        if (report.Error is not null) error.WriteLine($"workflow: warning: could not write the report or logs: {report.Error}");
        foreach (var w in result.Run.Warnings) error.WriteLine($"workflow: warning: {w}");
        if (result.Run.Status == RunStatus.Cancelled) return RunCommand.Cancelled;
        if (result.Failure is not { } failure) return ExitCodes.Success;

        error.WriteLine(result.Run.Error);
        if (Environment.GetEnvironmentVariable("GITHUB_ACTIONS") == "true")
            Console.Out.WriteLine($"::error title=Task '{tasks[0]}' failed::{result.Run.Error}");
        if (request.PassExitCode && failure is TaskRunException { CommandExitCode: { } code } && code != 0) return code;
        return failure.ExitCode;
    }

    /// <summary>Task names and <c>NAME=value</c> variables, as go-task reads its arguments.</summary>
    public static (List<string> Tasks, Dictionary<string, string> Variables) SplitTargets(IReadOnlyList<string> targets)
    {
        var tasks = new List<string>();
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in targets)
        {
            if (TaskfileCommandLine.IsVariable(t)) variables[t[..t.IndexOf('=')]] = t[(t.IndexOf('=') + 1)..];
            else tasks.Add(t);
        }
        return (tasks, variables);
    }
}
