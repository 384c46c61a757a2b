using System.Runtime.InteropServices;
using Pipeline.Build.Recording;
using Pipeline.Build.Taskfiles;
using Pipeline.Core;
using Pipeline.Core.Typed;
using Pipeline.Engine.Planning;
using Pipeline.Engine.Running;
using Pipeline.Executors.Docker;

namespace Pipeline.Build.Hosting;

/// <summary>
/// Runs a build class from its command line: binds parameters, resolves names (a target, a
/// workflow, or <c>workflow:task</c>), then shows help, the plan or
/// the dry run, or runs the graph with the engine and prints the summary.
/// </summary>
internal sealed class BuildHost(PipelineBuild build, TextWriter stdout, TextWriter stderr, Func<string, string?> environment)
{
    public async Task<int> RunAsync(string[] args, IReadOnlyList<Target> defaults, CancellationToken cancellationToken = default)
    {
        try
        {
            var arguments = BuildArguments.Parse(args);
            var binder = new ParameterBinder(arguments.Parameters, environment);
            build.BindDeclaredParameters(binder);
            var graph = new BuildGraph(build.GetDeclaredTargets(), build.GetDeclaredWorkflows());

            if (arguments.Help)
            {
                HelpPrinter.Print(stdout, graph, binder.Parameters, defaults);
                return 0;
            }
            if (arguments.List)
            {
                foreach (var name in Names(graph)) stdout.WriteLine(name);
                return 0;
            }
            if (binder.Unused.FirstOrDefault() is { } unknown)
                throw new UsageException($"unknown option --{arguments.Parameters.Keys.First(k => ParameterBinder.Normalize(k) == unknown)}",
                    binder.Parameters.Count == 0 ? "this build has no parameters; run with --help" : "parameters: " + string.Join(", ", binder.Parameters.Select(p => "--" + p.Name)));

            var requested = arguments.Names.Count > 0
                ? arguments.Names.Select(n => Resolve(graph, n)).ToList()
                : defaults.Select(d => (object)graph.Targets.First(t => t.Target.Equals(d))).ToList();
            if (requested.Count == 0)
            {
                HelpPrinter.Print(stdout, graph, binder.Parameters, defaults);
                return 0;
            }
            var invoked = requested.OfType<NamedTarget>().Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
            var skip = arguments.Skip.Select(n => Resolve(graph, n)).OfType<NamedTarget>().Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
            var nodes = graph.Schedule(requested);

            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            IReadOnlySet<string> done = new HashSet<string>();
            if (arguments.Continue)
            {
                if (LastAttempt.Succeeded(build.ProjectDirectory, arguments.Invocation) is { } previous) done = previous;
                else stderr.WriteLine("--continue: no earlier attempt with these arguments; running everything.");
            }
            // Runs are recorded for `workflow history` like `workflow run`'s; --plan and --dry-run run nothing.
            using var recording = arguments.Plan || arguments.DryRun ? null : BuildRecording.Open(arguments.StateDirectory, stderr);
            var console = new BuildConsole(stdout, new HashSet<string>());
            using var cleanup = new CancellationTokenSource();
            var taskfiles = new TaskfileSessions(build.ProjectDirectory, arguments.TaskfileVariables, arguments.Verbose, recording, console.Line, cleanup.Token);
            var settings = new BuildSettings(
                build.ProjectDirectory,
                arguments.MaxParallel ?? Environment.ProcessorCount,
                arguments.Verbose,
                id => done.Contains(id) ? SkipReason.Continued
                    : skip.Contains(id) || (arguments.SkipAll && !invoked.Contains(id) && nodes.Any(n => n.Id == id && n.Target is not null)) ? SkipReason.Skipped
                    : SkipReason.None,
                cleanup.Token) { Recording = recording, Taskfiles = taskfiles };
            // Every Taskfile the graph runs is read and checked now, and each task name resolved, so a
            // bad file or an unknown task stops the build before anything runs (exit code 2).
            foreach (var node in nodes.Where(n => n.TaskfileTask is not null)) taskfiles.For(node.Workflow!).Check(node.TaskfileTask!);
            var project = Directory.EnumerateFiles(build.ProjectDirectory, "*.csproj").Order(StringComparer.Ordinal).FirstOrDefault();
            var definition = BuildDefinition.Create(nodes, settings,
                project is null ? build.GetType().Name : Path.GetFileNameWithoutExtension(project), project ?? build.ProjectDirectory);
            var plan = ExecutionPlan.Create(definition);

            if (arguments.Plan)
            {
                PlanPrinter.Mermaid(stdout, nodes, graph);
                return 0;
            }
            if (arguments.DryRun)
            {
                await PlanPrinter.LevelsAsync(stdout, plan, nodes, settings, cancellationToken).ConfigureAwait(false);
                return 0;
            }

            console.SkippedInAdvance = nodes.Where(n => BuildDefinition.StaticSkip(n, settings) is not null).Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
            // SIGINT and SIGTERM alike (CI runners stop a job with SIGTERM): the first cancels, the second stops the clean-up.
            void OnSignal(PosixSignalContext e)
            {
                e.Cancel = true;
                if (cancel.IsCancellationRequested) cleanup.Cancel(); // a second Ctrl-C stops the clean-up too
                else
                {
                    stderr.WriteLine("Stopping: running targets are cancelled, clean-up targets still run (Ctrl-C again to stop those too).");
                    cancel.Cancel();
                }
            }
            using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
            using var recorded = recording?.Start(definition, RecordedParameters(arguments, binder), retention: true);
            var result = await new WorkflowEngine().RunAsync(plan, new RunOptions
            {
                MaxParallel = settings.MaxParallel,
                Executors = DockerExecutors.Overrides,
                Secrets = binder.SecretValues.Select((v, i) => (v, i)).ToDictionary(p => $"parameter{p.i}", p => p.v),
                Observers = recorded?.Observers(console) ?? [console],
                CleanupToken = cleanup.Token,
            }, cancel.Token).ConfigureAwait(false);
            await taskfiles.EndAsync(result.Status == RunStatus.Cancelled).ConfigureAwait(false);
            if (recorded is not null) await recorded.CompleteAsync().ConfigureAwait(false);
            console.Summary(result, plan.Graph.TopologicalOrder);
            foreach (var warning in recording?.Warnings ?? []) stderr.WriteLine($"warning: {warning}");
            LastAttempt.Save(settings.ProjectDirectory, arguments.Invocation,
                result.Tasks.Where(t => t.Role == "dag" && (t.State.IsSuccess() || done.Contains(t.TaskId))).Select(t => t.TaskId));
            return result.Status switch
            {
                RunStatus.Succeeded => 0,
                RunStatus.Cancelled => 130,
                _ => taskfiles.ExitCode ?? 1, // a Taskfile call that was wrong (a missing variable) is 2, as with workflow run -t
            };
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            if (e.Hint is not null) stderr.WriteLine($"  hint: {e.Hint}");
            return 2;
        }
        catch (ParameterException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 2;
        }
    }

    /// <summary>The parameters given on the command line, as recorded: a secret parameter's value as ***.</summary>
    private static Dictionary<string, string> RecordedParameters(BuildArguments arguments, ParameterBinder binder)
    {
        var secret = binder.Parameters.Where(p => p.Secret).Select(p => ParameterBinder.Normalize(p.Name)).ToHashSet(StringComparer.Ordinal);
        return arguments.Parameters.ToDictionary(p => p.Key, p => secret.Contains(ParameterBinder.Normalize(p.Key)) ? "***" : p.Value, StringComparer.Ordinal);
    }

    /// <summary>Everything that can be named on the command line.</summary>
    private static IEnumerable<string> Names(BuildGraph graph) =>
        graph.Targets.Select(t => t.Name)
            .Concat(graph.Workflows.Select(w => w.Name))
            .Concat(graph.Workflows.SelectMany(w => w.Tasks.Select(t => $"{w.Name}:{t.Id}")));

    /// <summary>A target (case and dashes ignored), a workflow, or <c>workflow:task</c>.</summary>
    private static object Resolve(BuildGraph graph, string name)
    {
        var key = ParameterBinder.Normalize(name);
        if (graph.Targets.FirstOrDefault(t => ParameterBinder.Normalize(t.Name) == key) is { } target) return target;
        if (graph.Workflows.FirstOrDefault(w => ParameterBinder.Normalize(w.Name) == key) is { } workflow) return workflow;
        var colon = name.IndexOf(':');
        if (colon > 0 && graph.Workflows.FirstOrDefault(w => ParameterBinder.Normalize(w.Name) == ParameterBinder.Normalize(name[..colon])) is { } owner)
            return owner.Format == Pipeline.Core.Model.WorkflowFormat.Taskfile
                // Any name go-task would run: included namespaces and wildcards too; checked when the Taskfile is read.
                ? new BuildGraph.TaskfileTaskRequest(owner, name[(colon + 1)..])
                : owner.FindTask(name[(colon + 1)..]) ?? throw new UsageException($"workflow '{owner.Name}' has no task '{name[(colon + 1)..]}'",
                "its tasks: " + string.Join(", ", owner.Tasks.Select(t => t.Id)));
        // A bare name is never guessed to be some workflow's task: `-- deploy` must not run the deploy
        // task of whichever workflow has one. Tasks are named workflow:task; the error names them.
        var tasks = graph.Workflows.SelectMany(w => w.Tasks).Where(t => t.Id == name).ToList();
        if (tasks.Count > 0)
            throw new UsageException($"'{name}' is not a target or a workflow; it is a task of {(tasks.Count == 1 ? $"workflow '{tasks[0].Workflow.Name}'" : "several workflows")}",
                "run a task as workflow:task: " + string.Join(", ", tasks.Select(t => $"{t.Workflow.Name}:{t.Id}")));
        var names = Names(graph).ToList();
        var suggestion = names.OrderBy(n => Suggest.Distance(ParameterBinder.Normalize(n), key)).FirstOrDefault();
        throw new UsageException($"'{name}' is not a target, a workflow or a workflow task",
            suggestion is not null && Suggest.Distance(ParameterBinder.Normalize(suggestion), key) <= Math.Max(2, key.Length / 3)
                ? $"did you mean {suggestion}? (--help lists everything)"
                : "run with --help to see the targets and workflows");
    }
}
