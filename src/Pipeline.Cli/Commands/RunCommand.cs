using System.CommandLine;
using System.Runtime.InteropServices;
using Pipeline.Cli.Output;
using Pipeline.Cli.Running;
using Pipeline.Engine.Events;
using Pipeline.Engine.Planning;
using Pipeline.Engine.Reporting;
using Pipeline.Engine.Running;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>workflow run [workflow]</c>: validates, plans and runs one workflow.</summary>
public static class RunCommand
{
    /// <summary>Exit code of a run stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;

    public static Command Create()
    {
        var workflow = new Argument<string?>("workflow")
        {
            Description = "A workflow file, or the name of a workflow under the current directory (default: the only one there)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan (levels, critical path, estimate) and run nothing" };
        var maxParallel = new Option<int?>("--max-parallel", "-j") { Description = "Most tasks running at once (default: the workflow's max_parallel, else the processor count)" };
        var failFast = new Option<bool>("--fail-fast") { Description = "Cancel running tasks at the first failure (default: let them finish; start nothing new)" };
        var env = new Option<string[]>("--env", "-e") { Description = "Set or override an environment variable: NAME=VALUE (repeatable)", AllowMultipleArgumentsPerToken = false };
        var stateDir = new Option<string>("--state-dir") { Description = "Where runs are recorded (report.json and logs under runs/<execution-id>/)", DefaultValueFactory = _ => ".workflow" };
        var command = new Command("run", """
            Run a workflow: its tasks in parallel as the dependencies allow, with retries, timeouts,
            callbacks and rollback. Prints progress, then a table of every task; writes
            <state-dir>/runs/<execution-id>/report.json and each task's stdout/stderr beside it.

            Examples:
              workflow run samples/deploy/deploy.workflow.json
              workflow run deploy --max-parallel 4 -e TARGET=staging
              workflow run deploy --dry-run

            Ctrl-C stops starting tasks, cancels running ones (their processes are killed), runs
            on_failure callbacks and rollback, writes the report and exits 130; a second Ctrl-C
            also stops the clean-up.
            Exit codes: 0 succeeded, 1 a task failed, 2 invalid workflow or usage, 130 cancelled.
            """)
        {
            workflow, dryRun, maxParallel, failFast, env, stateDir,
        };
        command.SetAction((parse, _) => RunAsync(new Request(
            parse.GetValue(workflow),
            parse.GetValue(dryRun),
            parse.GetValue(maxParallel),
            parse.GetValue(failFast),
            parse.GetValue(env) ?? [],
            parse.GetValue(stateDir)!,
            parse.GetValue(GlobalOptions.Config),
            parse.GetValue(GlobalOptions.Format),
            parse.GetValue(GlobalOptions.Verbose),
            parse.GetValue(GlobalOptions.Quiet))));
        return command;
    }

    public sealed record Request(string? Workflow, bool DryRun, int? MaxParallel, bool FailFast, string[] Env, string StateDir,
        FileInfo? Config, OutputFormat Format, bool Verbose, bool Quiet);

    public static async Task<int> RunAsync(Request request)
    {
        var error = Console.Error;
        if (request.MaxParallel is < 1)
        {
            error.WriteLine("workflow: --max-parallel must be at least 1");
            return ExitCodes.InvalidInput;
        }
        var overrides = ParseEnv(request.Env, error);
        if (overrides is null) return ExitCodes.InvalidInput;

        var definition = WorkflowInput.Load(request.Workflow, request.Config, request.Verbose, error);
        if (definition is null) return ExitCodes.InvalidInput;
        var plan = ExecutionPlan.Create(definition);
        var maxParallel = Math.Max(1, request.MaxParallel ?? definition.MaxParallel?.Value ?? Environment.ProcessorCount);

        if (request.DryRun)
        {
            if (request.Format == OutputFormat.Json) PlanPrinter.WriteJson(Console.Out, plan, maxParallel);
            else PlanPrinter.WriteText(Console.Out, plan, maxParallel);
            return ExitCodes.Success;
        }

        var unsupported = WorkflowEngine.CheckSupported(plan);
        foreach (var d in unsupported) TextReporter.WriteDiagnostic(error, d, null);
        if (unsupported.Count > 0) return ExitCodes.InvalidInput;
        var secrets = SecretResolver.Resolve(definition, error);
        if (secrets is null) return ExitCodes.InvalidInput;

        using var cancel = new CancellationTokenSource();
        using var cleanup = new CancellationTokenSource();
        using var signals = new SignalHandler(cancel, cleanup, error);
        using var report = new RunReportWriter(request.StateDir);
        var options = new RunOptions
        {
            MaxParallel = request.MaxParallel,
            Secrets = secrets,
            Environment = overrides,
            FailFast = request.FailFast,
            CleanupToken = cleanup.Token,
        };

        var json = request.Format == OutputFormat.Json;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(json ? Console.Error : Console.Out) });
        var interactive = !json && !request.Quiet && !Console.IsOutputRedirected && console.Profile.Capabilities.Interactive;
        RunResult result;
        if (interactive)
        {
            result = await LiveRunDisplay.CreateProgress(console).StartAsync(ctx =>
                new WorkflowEngine().RunAsync(plan, options with { Observers = [report, new LiveRunDisplay(console, ctx, request.Verbose)] }, cancel.Token));
        }
        else
        {
            var display = new PlainRunDisplay(json ? Console.Error : Console.Out, request.Verbose, request.Quiet);
            result = await new WorkflowEngine().RunAsync(plan, options with { Observers = [report, display] }, cancel.Token);
        }

        if (report.Error is not null) error.WriteLine($"workflow: warning: could not write the report or logs: {report.Error}");
        foreach (var w in result.Warnings) error.WriteLine($"workflow: warning: {w}");
        if (json)
        {
            var path = report.ReportPath;
            Console.Out.WriteLine(path is not null && File.Exists(path) ? File.ReadAllText(path) : "{}");
            RunSummary.Write(console, result, report.ReportPath, quiet: true);
        }
        else RunSummary.Write(console, result, report.ReportPath, request.Quiet);

        return result.Status switch
        {
            RunStatus.Succeeded => ExitCodes.Success,
            RunStatus.Cancelled => Cancelled,
            _ => ExitCodes.WorkflowFailed,
        };
    }

    private static Dictionary<string, string>? ParseEnv(string[] pairs, TextWriter error)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0)
            {
                error.WriteLine($"workflow: --env '{pair}' is not NAME=VALUE");
                return null;
            }
            env[pair[..eq]] = pair[(eq + 1)..];
        }
        return env;
    }

    /// <summary>First SIGINT/SIGTERM cancels the run (clean-up still runs); a second one cancels the clean-up too.</summary>
    private sealed class SignalHandler : IDisposable
    {
        private readonly List<PosixSignalRegistration> _registrations = [];

        public SignalHandler(CancellationTokenSource run, CancellationTokenSource cleanup, TextWriter error)
        {
            foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
            {
                _registrations.Add(PosixSignalRegistration.Create(signal, context =>
                {
                    context.Cancel = true; // we exit ourselves, after the report
                    if (!run.IsCancellationRequested)
                    {
                        error.WriteLine("workflow: cancelling: running tasks are being stopped; on_failure and rollback will run (press Ctrl-C again to stop those too)");
                        run.Cancel();
                    }
                    else if (!cleanup.IsCancellationRequested)
                    {
                        error.WriteLine("workflow: stopping the clean-up too");
                        cleanup.Cancel();
                    }
                }));
            }
        }

        public void Dispose()
        {
            foreach (var r in _registrations) r.Dispose();
        }
    }
}
