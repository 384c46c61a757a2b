using System.CommandLine;
using Pipeline.Cli.Output;
using Pipeline.Cli.Running;
using Pipeline.Core.Loading;
using Pipeline.Core.Model;
using Pipeline.Engine.Caching;
using Pipeline.Engine.Events;
using Pipeline.Engine.Planning;
using Pipeline.Engine.Reporting;
using Pipeline.Engine.Running;
using Pipeline.Executors.Docker;
using Pipeline.State;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>workflow run [workflow]</c>: validates, plans and runs one workflow.</summary>
public static class RunCommand
{
    /// <summary>Exit code of a run stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;

    public static Command Create(IReadOnlyList<string> argumentsAfterSeparator)
    {
        var targets = new Argument<string[]>("target")
        {
            Description = "A workflow file or name; or a Taskfile and its tasks (with NAME=value variables). Default: the only workflow here, else the Taskfile's default task",
            Arity = ArgumentArity.ZeroOrMore,
        };
        targets.CompletionSources.Add(Completions.WorkflowsThenTasks);
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "Workflow: print the plan (levels, critical path, estimate). Taskfile: print the commands. Nothing runs" };
        var maxParallel = new Option<int?>("--max-parallel", "-j", "--concurrency", "-C") { Description = "Most tasks running at once (default: the workflow's max_parallel, else the processor count; no limit for a Taskfile)" };
        var grace = new Option<string>("--grace-period") { Description = "When the run is stopped (Ctrl-C, SIGTERM, a timeout), how long tasks get after SIGTERM before SIGKILL: 500ms, 5s, 1m (default 5s; 0 kills at once)", DefaultValueFactory = _ => "5s" };
        var failFast = new Option<bool>("--fail-fast") { Description = "Cancel running tasks at the first failure (default: let them finish; start nothing new)" };
        var env = new Option<string[]>("--env", "-e") { Description = "Set or override an environment variable: NAME=VALUE (repeatable)", AllowMultipleArgumentsPerToken = false };
        var stateDir = new Option<string>("--state-dir") { Description = "Where runs are recorded: state.db (history), and report.json and logs under runs/<execution-id>/ (default: the repository's .workflow)", DefaultValueFactory = _ => RepositoryRoot.DefaultStateDirectory() };
        var taskfile = new Option<string?>("--taskfile", "-t") { Description = "Run tasks of this Taskfile (default: Taskfile.yml here or in a parent directory)" };
        var list = new Option<bool>("--list", "-l") { Description = "Taskfile: list the tasks that have a description" };
        var listAll = new Option<bool>("--list-all", "-a") { Description = "Taskfile: list every task that is not internal" };
        var summary = new Option<bool>("--summary") { Description = "Taskfile: show a task's summary, dependencies and commands" };
        var force = new Option<bool>("--force", "-f") { Description = "Workflow: run cached tasks anyway and store their results afresh. Taskfile: run tasks even when up to date, and skip preconditions. With --resume: resume even though the workflow file changed" };
        var noCache = new Option<bool>("--no-cache") { Description = "Workflow: neither take tasks from the cache nor store them in it (the cache is <state-dir>/cache, or WORKFLOW_CACHE_DIR)" };
        var resume = new Option<bool>("--resume") { Description = "Continue the latest interrupted run of the workflow: tasks that succeeded are not run again" };
        var silent = new Option<bool>("--silent", "-s") { Description = "Taskfile: do not echo commands" };
        var parallel = new Option<bool>("--parallel", "-p") { Description = "Taskfile: run the tasks named on the command line in parallel" };
        var yes = new Option<bool>("--yes", "-y") { Description = "Taskfile: answer yes to every prompt" };
        var exitCode = new Option<bool>("--exit-code", "-x") { Description = "Taskfile: exit with the failing command's own exit code" };
        var output = new Option<string?>("--output", "-o") { Description = "Taskfile output: interleaved, prefixed or group (default: the Taskfile's output:)" };
        // What started the run, for ${trigger.type} and the history: the crontab lines and systemd units
        // `workflow schedule install` writes pass schedule.
        var only = new Option<string[]>("--only") { Description = "Run only these tasks of the workflow (comma-separated or repeated), taking the tasks they depend on as done: one CI job's share of a workflow (see workflow ci github)" };
        var trigger = new Option<string>("--trigger") { Description = "What started the run, recorded and seen as ${trigger.type}: manual (default) or schedule", DefaultValueFactory = _ => "manual" };
        trigger.AcceptOnlyFromAmong("manual", "schedule");
        output.AcceptOnlyFromAmong("interleaved", "prefixed", "group");
        var command = new Command("run", """
            Run a workflow: its tasks in parallel as the dependencies allow, with retries, timeouts,
            callbacks and rollback. Prints progress, then a table of every task; records the run in
            <state-dir>/state.db (see workflow history and workflow status) and writes
            <state-dir>/runs/<execution-id>/report.json and each task's stdout/stderr beside it.

            Or run tasks of a go-task Taskfile the way go-task does: deps in parallel, cmds in order,
            up-to-date checks, defers; output as go-task prints it (see docs/taskfile.md).

            Examples:
              workflow run samples/deploy/deploy.workflow.json
              workflow run deploy --max-parallel 4 -e TARGET=staging
              workflow run deploy --dry-run
              workflow run build --force       (run tasks the cache would restore, and store them again)
              workflow run -t Taskfile.yml build VERSION=1.2 -- --extra-args
              workflow run build test          (tasks of ./Taskfile.yml, when no workflow is named so)
              workflow run --list

            Ctrl-C or SIGTERM stops starting tasks and stops running ones: SIGTERM to each task's
            processes, SIGKILL after --grace-period (default 5s); then on_failure callbacks and
            rollback run, the state and the report are written, and it exits 130. A second Ctrl-C
            kills at once and stops the clean-up too.
            A task that lists "inputs" is taken from the cache when its key (its definition, env, the
            contents of its inputs, the keys of the tasks it depends on) matches an earlier success:
            its outputs, "generates" files and log are restored and it shows as cached.
            Exit codes: 0 succeeded, 1 a task failed, 2 invalid workflow/Taskfile or usage, 3 --resume and
            the state store cannot be used (a plain run only warns), 130 cancelled (with -x, a failed
            Taskfile command's own exit code).
            """)
        {
            targets, dryRun, maxParallel, failFast, env, stateDir, taskfile, list, listAll, summary, force, silent, parallel, yes, exitCode, output, resume, grace, trigger, only, noCache,
        };
        command.SetAction((parse, _) =>
        {
            var given = parse.GetValue(targets) ?? [];
            var taskfileRequested = parse.GetValue(list) || parse.GetValue(listAll) || parse.GetValue(summary);
            var choice = ChooseInput(given, parse.GetValue(taskfile), taskfileRequested, out var problem);
            if (choice is null)
            {
                Console.Error.WriteLine(problem);
                return Task.FromResult(ExitCodes.InvalidInput);
            }
            if (choice.Value.Taskfile is { } file)
            {
                if (parse.GetValue(maxParallel) is < 1)
                {
                    Console.Error.WriteLine("workflow: --max-parallel must be at least 1");
                    return Task.FromResult(ExitCodes.InvalidInput);
                }
                return TaskfileRun.RunAsync(new TaskfileRun.Request(
                    file, choice.Value.Tasks, argumentsAfterSeparator,
                    parse.GetValue(list), parse.GetValue(listAll), parse.GetValue(summary), parse.GetValue(force), parse.GetValue(dryRun),
                    parse.GetValue(silent) || parse.GetValue(GlobalOptions.Quiet), parse.GetValue(parallel), parse.GetValue(yes), parse.GetValue(exitCode),
                    parse.GetValue(output), parse.GetValue(maxParallel), parse.GetValue(stateDir)!, parse.GetValue(GlobalOptions.Format),
                    parse.GetValue(GlobalOptions.Verbose)));
            }
            return RunAsync(new Request(
                choice.Value.Workflow,
                parse.GetValue(dryRun),
                parse.GetValue(maxParallel),
                parse.GetValue(failFast),
                parse.GetValue(env) ?? [],
                parse.GetValue(stateDir)!,
                parse.GetValue(GlobalOptions.Config),
                parse.GetValue(GlobalOptions.Format),
                parse.GetValue(GlobalOptions.Verbose),
                parse.GetValue(GlobalOptions.Quiet)) { Resume = parse.GetValue(resume), Force = parse.GetValue(force), GracePeriod = parse.GetValue(grace)!, Trigger = parse.GetValue(trigger)!,
                    NoCache = parse.GetValue(noCache),
                    Only = (parse.GetValue(only) ?? []).SelectMany(o => o.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList() });
        });
        return command;
    }

    /// <summary>
    /// What <c>workflow run</c> runs, decided in this order: <c>-t FILE</c> (a Taskfile; the arguments are tasks);
    /// a first argument that is a file (its kind decides); a workflow named by the first argument (file stem or
    /// "name"), or the only workflow here when there is no argument; else the Taskfile found here or in a parent
    /// directory, whose tasks the arguments name (none: <c>default</c>).
    /// </summary>
    public static (string? Workflow, string? Taskfile, IReadOnlyList<string> Tasks)? ChooseInput(
        IReadOnlyList<string> targets, string? taskfileOption, bool taskfileRequested, out string problem)
    {
        problem = "";
        if (taskfileOption is not null)
        {
            if (File.Exists(taskfileOption)) return (null, taskfileOption, targets);
            var inDirectory = Directory.Exists(taskfileOption) ? WorkflowFiles.TaskfileIn(taskfileOption) : null;
            if (inDirectory is not null) return (null, inDirectory, targets);
            problem = $"{taskfileOption}(1,1): error WF1006: Taskfile not found";
            return null;
        }
        if (targets.Count > 0 && File.Exists(targets[0]))
        {
            if (WorkflowFiles.KindOf(targets[0]) == WorkflowFileKind.Taskfile) return (null, targets[0], targets.Skip(1).ToList());
            if (targets.Count > 1)
            {
                problem = $"workflow: run takes one workflow; unexpected: {string.Join(" ", targets.Skip(1))}";
                return null;
            }
            return (targets[0], null, []);
        }
        var found = Pipeline.Engine.Taskfile.TaskfileFinder.Find(Directory.GetCurrentDirectory());
        if (taskfileRequested)
        {
            if (found is not null) return (null, Path.GetRelativePath(Directory.GetCurrentDirectory(), found), targets);
            problem = "task: No Taskfile found here or in a parent directory (give one with -t Taskfile.yml)";
            return null;
        }
        var workflow = WorkflowInput.TryResolve(targets.Count > 0 ? targets[0] : null, out problem);
        if (workflow is not null && targets.Count <= 1) return (workflow, null, []);
        if (found is not null) return (null, Path.GetRelativePath(Directory.GetCurrentDirectory(), found), targets);
        if (workflow is not null) problem = $"workflow: run takes one workflow; unexpected: {string.Join(" ", targets.Skip(1))}";
        return null;
    }

    public sealed record Request(string? Workflow, bool DryRun, int? MaxParallel, bool FailFast, string[] Env, string StateDir,
        FileInfo? Config, OutputFormat Format, bool Verbose, bool Quiet)
    {
        /// <summary>Continue the latest interrupted execution of <see cref="Workflow"/> (<c>--resume</c>).</summary>
        public bool Resume { get; init; }

        /// <summary>What started the run (<c>--trigger</c>): recorded, and <c>${trigger.type}</c>.</summary>
        public string Trigger { get; init; } = "manual";

        /// <summary>Continue this execution (<c>workflow resume &lt;id&gt;</c>).</summary>
        public string? ResumeId { get; init; }

        /// <summary>Resume even though the definition changed since; run cached tasks anyway (their entries are written afresh).</summary>
        public bool Force { get; init; }

        /// <summary>Leave the task cache alone: no hits, no new entries (<c>--no-cache</c>).</summary>
        public bool NoCache { get; init; }

        /// <summary>Run only these tasks (<c>--only</c>); empty runs the whole workflow.</summary>
        public IReadOnlyList<string> Only { get; init; } = [];

        /// <summary>SIGTERM-to-SIGKILL wait for stopped tasks, as written (5s, 500ms, 1m, 0).</summary>
        public string GracePeriod { get; init; } = "5s";
    }

    /// <summary>
    /// What a dry run needs to compute cache keys as the run would: the cache, the --env overrides,
    /// and the secrets when they are set (values holding one enter a key as a marker). Missing
    /// secrets are not an error here: the plan is still shown.
    /// </summary>
    private static RunOptions CacheOptions(Request request, WorkflowDefinition definition, IReadOnlyDictionary<string, string> overrides)
    {
        if (request.NoCache) return new RunOptions();
        var secrets = SecretResolver.Resolve(definition, TextWriter.Null, overrides);
        var (declared, masked) = secrets is null ? (new Dictionary<string, string>(), []) : SecretResolver.Split(secrets);
        return new RunOptions
        {
            Cache = TaskCache.ForStateDirectory(request.StateDir), RefreshCache = request.Force, Environment = overrides,
            Secrets = declared, MaskedValues = masked, TriggerType = request.Trigger,
        };
    }

    public static async Task<int> RunAsync(Request request)
    {
        var error = Console.Error;
        if (request.MaxParallel is < 1)
        {
            error.WriteLine("workflow: --max-parallel must be at least 1");
            return ExitCodes.InvalidInput;
        }
        // Go's duration syntax, as Taskfile timeouts use: 500ms, 5s, 1m, 1m30s, 0.
        if (!Pipeline.Engine.Taskfile.GoDuration.TryParse(request.GracePeriod, out var gracePeriod))
        {
            error.WriteLine($"workflow: --grace-period \"{request.GracePeriod}\" is not a duration such as 500ms, 5s or 1m");
            return ExitCodes.InvalidInput;
        }
        var overrides = ParseEnv(request.Env, error);
        if (overrides is null) return ExitCodes.InvalidInput;

        // One connection to the state database for the whole command: the history it already holds
        // (resume, estimates), then the new run. Opened here only when the file exists; a first run creates it below.
        ResumePlan? resume = null;
        WorkflowDefinition? definition;
        var resuming = request.Resume || request.ResumeId is not null;
        var (existing, storeFailed) = resuming ? (StateStores.OpenForReading(request.StateDir, error), false) : StateStores.OpenExisting(request.StateDir, error);
        using var ownedExisting = existing;
        if (resuming)
        {
            resume = existing is null ? null : Resumption.Prepare(existing, request.ResumeId, request.Workflow, request.Force, request.Config, request.Verbose, error);
            if (resume is null) return ExitCodes.InvalidInput;
            definition = resume.Definition;
            error.WriteLine($"workflow: resuming {resume.ExecutionId}: {resume.Done.Count(d => d.Value.State.IsSuccess())} task(s) done before are not run again"
                + (resume.Rerun > 0 ? $", {resume.Rerun} that were running are run again" : ""));
            if (!request.DryRun) await Resumption.StopLeftoversAsync(resume, gracePeriod, error);
        }
        else definition = WorkflowInput.Load(request.Workflow, request.Config, request.Verbose, error);
        if (definition is null) return ExitCodes.InvalidInput;
        if (request.Only.Count > 0)
        {
            if (resuming)
            {
                error.WriteLine("workflow: --only and --resume do not go together: a resumed run continues the tasks it had");
                return ExitCodes.InvalidInput;
            }
            try { definition = WorkflowSubset.Only(definition, request.Only); }
            catch (ArgumentException ex)
            {
                error.WriteLine($"workflow: {ex.Message}");
                return ExitCodes.InvalidInput;
            }
        }
        // Estimates from history when there is some: each task's median successful duration.
        var estimates = StateStores.HistoryEstimates(existing, definition.Name.Value);
        var plan = ExecutionPlan.Create(definition, estimates);
        var maxParallel = Math.Max(1, request.MaxParallel ?? definition.MaxParallel?.Value ?? Environment.ProcessorCount);

        if (request.DryRun)
        {
            var migrations = await Pipeline.Engine.Executors.Sql.MigrationPreview.ReadAsync(definition, overrides, CancellationToken.None);
            var cache = CachePreview.Predict(plan, CacheOptions(request, definition, overrides));
            if (request.Format == OutputFormat.Json) PlanPrinter.WriteJson(Console.Out, plan, maxParallel, migrations, cache);
            else PlanPrinter.WriteText(Console.Out, plan, maxParallel, migrations, fromHistory: estimates is not null, cache);
            return ExitCodes.Success;
        }

        var unsupported = WorkflowEngine.CheckSupported(plan, new RunOptions { Executors = DockerExecutors.Overrides });
        foreach (var d in unsupported) TextReporter.WriteDiagnostic(error, d, null);
        if (unsupported.Count > 0) return ExitCodes.InvalidInput;
        var secrets = SecretResolver.Resolve(definition, error, overrides);
        if (secrets is null) return ExitCodes.InvalidInput;

        using var cancel = new CancellationTokenSource();
        using var cleanup = new CancellationTokenSource();
        using var signals = new SignalHandler(cancel, cleanup, error);
        using var report = new RunReportWriter(request.StateDir);
        using var created = existing is null && !storeFailed ? StateStores.OpenOrWarn(request.StateDir, error) : null;
        var store = existing ?? created;
        // Parameters under a secret's name are stored (and shown by workflow status) as ***.
        var context = new RunContext
        {
            ContentHash = StateStores.HashOf(definition.Path),
            Trigger = request.Trigger,
            ConcurrencyGroup = GroupOf(definition, request.Trigger, error),
            Parameters = Pipeline.Engine.Secrets.SecretNames.MaskParameters(overrides, SecretResolver.DeclaredNames(definition)),
            LogPath = report.LogPath,
        };
        var recording = new RunRecording(store, context);
        var executionId = resume?.ExecutionId ?? WorkflowEngine.NewExecutionId();
        if (store is not null && resume is null
            && await ConcurrencyGate.PassAsync(store, definition, executionId, context, error, cancel.Token) is { } gateExit)
            return gateExit;
        var (declaredSecrets, maskedParameters) = SecretResolver.Split(secrets);
        var options = new RunOptions
        {
            MaxParallel = request.MaxParallel,
            Secrets = declaredSecrets,
            MaskedValues = maskedParameters,
            Environment = overrides,
            FailFast = request.FailFast,
            CleanupToken = cleanup.Token,
            GracePeriod = gracePeriod,
            ExecutionId = executionId,
            Resumed = resume?.Done,
            TriggerType = request.Trigger,
            Executors = DockerExecutors.Overrides,
            Cache = request.NoCache ? null : TaskCache.ForStateDirectory(request.StateDir),
            RefreshCache = request.Force,
        };
        async Task<RunResult> Run(IRunObserver display)
        {
            IRunObserver[] downstream = GitHub.WorkflowCommands.Detected
                ? [report, display, new GitHub.ActionsRunReporter(request.Format == OutputFormat.Json ? Console.Error : Console.Out, definition)]
                : [report, display];
            var run = await new WorkflowEngine().RunAsync(plan, options with { Observers = recording.Observers(downstream) }, cancel.Token);
            await recording.CompleteAsync();
            return run;
        }

        var json = request.Format == OutputFormat.Json;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(json ? Console.Error : Console.Out) });
        var interactive = !json && !request.Quiet && !Console.IsOutputRedirected && console.Profile.Capabilities.Interactive;
        RunResult result;
        if (interactive)
        {
            result = await LiveRunDisplay.CreateProgress(console).StartAsync(ctx => Run(new LiveRunDisplay(console, ctx, request.Verbose)));
        }
        else
        {
            var display = new PlainRunDisplay(json ? Console.Error : Console.Out, request.Verbose, request.Quiet);
            result = await Run(display);
        }

        if (report.Error is not null) error.WriteLine($"workflow: warning: could not write the report or logs: {report.Error}");
        foreach (var warning in recording.Finish(request.StateDir)) error.WriteLine($"workflow: warning: {warning}");
        foreach (var w in result.Warnings) error.WriteLine($"workflow: warning: {w}");
        if (json)
        {
            var path = report.ReportPath;
            Console.Out.WriteLine(path is not null && File.Exists(path) ? File.ReadAllText(path) : "{}");
            RunSummary.Write(console, result, report.ReportPath, quiet: true);
        }
        else RunSummary.Write(console, result, report.ReportPath, request.Quiet);

        // After the summary, so a slow channel never hides the verdict; a second Ctrl-C stops it.
        await RunNotifications.SendAsync(definition, result,
            new Pipeline.Notifications.Messages.RunScope
            {
                Workflow = definition, Secrets = declaredSecrets, MaskedValues = maskedParameters, Environment = overrides, Trigger = request.Trigger,
            }, store, request.Config, request.Quiet, error, cleanup.Token);

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

    /// <summary>The run's concurrency group (a hand-started run has no payload: <c>${trigger.payload.ref}</c> is empty); a group that fails is the workflow's one group, with a warning.</summary>
    private static string? GroupOf(WorkflowDefinition definition, string trigger, TextWriter error)
    {
        try { return Pipeline.Engine.Running.ConcurrencyGroup.Of(definition, trigger, null); }
        catch (Pipeline.Core.Expressions.ExpressionException e)
        {
            error.WriteLine($"workflow: warning: the concurrency group cannot be worked out ({e.Message}); the run counts in the workflow's one group");
            return null;
        }
    }
}
