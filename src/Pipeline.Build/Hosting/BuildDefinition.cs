using Pipeline.Core.Model;
using Pipeline.Core.Text;
using Pipeline.Engine.Planning;
using Pipeline.Engine.Running;
using Pipeline.Executors.Docker;

namespace Pipeline.Build.Hosting;

/// <summary>
/// Turns the scheduled nodes into one workflow the engine runs: a code task per target (its
/// actions, conditions, --skip, timeout, retry, ProceedAfterFailure, AssuredAfterFailure) and one per
/// generated workflow (a nested run of that workflow, or of the tasks asked for).
/// </summary>
internal static class BuildDefinition
{
    /// <param name="name">What the run is recorded as: the build project's name.</param>
    /// <param name="path">The build project's file (or folder).</param>
    public static WorkflowDefinition Create(IReadOnlyList<BuildNode> nodes, BuildSettings settings, string name = "build", string? path = null)
    {
        path ??= Path.Combine(settings.ProjectDirectory, "build");
        var span = SourceSpan.FileStart(path);
        LocatedString L(string value) => new(value, span);

        var tasks = nodes.Select(node => (TaskDefinition)new CodeTask
        {
            Id = L(node.Id),
            DependsOn = node.Dependencies.OrderBy(d => d.Id, StringComparer.Ordinal).Select(d => new TaskRef(d.Id, span)).ToList(),
            Description = node.Description,
            Action = node.Target is not null ? TargetAction(node, settings)
                : node.TaskfileTask is not null ? TaskfileAction(node, settings)
                : WorkflowAction(node, settings),
            TakesSlot = node.Target is not null,
            Condition = node.Definition?.Assured == true ? L("always()") : null,
            ProceedAfterFailure = node.Definition?.Proceed == true,
            Timeout = node.Definition?.TimeoutValue is { } t ? new Located<int>(Math.Max(1, (int)Math.Ceiling(t.TotalSeconds)), span) : null,
            Retry = node.Definition is { RetryAttempts: > 1 } d
                ? new RetryPolicy(d.RetryAttempts, (int)d.RetryDelay.TotalMilliseconds, Backoff.Exponential, null, span)
                : null,
            Span = span,
            TypeSpan = span,
        }).ToList();
        return new WorkflowDefinition { Name = L(name), Tasks = tasks, Path = path, Span = span };
    }

    private static Func<CodeTaskContext, CancellationToken, Task> TargetAction(BuildNode node, BuildSettings settings)
    {
        var def = node.Definition!;
        // Decided now, once, before anything runs: the summary shows why.
        var skip = StaticSkip(node, settings);
        return async (context, cancellationToken) =>
        {
            if (skip is not null)
            {
                context.Skip(skip);
                return;
            }
            foreach (var (condition, text) in def.DynamicConditions)
                if (!condition())
                {
                    context.Skip($"OnlyWhenDynamic: {text} is false");
                    return;
                }
            var target = new TargetContext(node.Id, settings.ProjectDirectory, cancellationToken, context.Log, settings.Outputs);
            foreach (var action in def.Actions)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await action(target).ConfigureAwait(false);
            }
        };
    }

    /// <summary>Why a target will be skipped whatever happens (--skip or a false static condition), or null.</summary>
    public static string? StaticSkip(BuildNode node, BuildSettings settings)
    {
        switch (settings.Skipped(node.Id))
        {
            case SkipReason.Continued: return "succeeded in the last attempt (--continue)";
            case SkipReason.Skipped when node.Definition is not null: return "--skip";
        }
        if (node.Definition is not { } def) return null;
        foreach (var (condition, text) in def.StaticConditions)
            if (!condition()) return $"OnlyWhenStatic: {text} is false";
        return null;
    }

    /// <summary>A Taskfile task, run by its Taskfile's session (go-task's semantics, output and messages).</summary>
    private static Func<CodeTaskContext, CancellationToken, Task> TaskfileAction(BuildNode node, BuildSettings settings) =>
        async (context, cancellationToken) =>
        {
            if (StaticSkip(node, settings) is { } skip)
            {
                context.Skip(skip);
                return;
            }
            // The Taskfile's run prints its lines straight to the console: what the build showed before
            // (the targets this node waited for) goes first.
            await context.ShownAsync().ConfigureAwait(false);
            await settings.Taskfiles!.For(node.Workflow!).RunAsync(node.TaskfileTask!, cancellationToken).ConfigureAwait(false);
        };

    private static Func<CodeTaskContext, CancellationToken, Task> WorkflowAction(BuildNode node, BuildSettings settings) =>
        async (context, cancellationToken) =>
        {
            if (StaticSkip(node, settings) is { } skip)
            {
                context.Skip(skip);
                return;
            }
            var workflow = node.Workflow!;
            if (workflow.DefinitionIn(settings.ProjectDirectory) is not { } definition)
                throw new InvalidOperationException($"{workflow.File} is a Taskfile; run its tasks with `workflow run -t {workflow.File}`");
            if (!node.WholeWorkflow) definition = WorkflowSubset.For(definition, node.Tasks);

            var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var s in definition.Secrets)
            {
                var value = Environment.GetEnvironmentVariable(s.From);
                if (string.IsNullOrEmpty(value))
                    throw new InvalidOperationException($"secret {s.Name.Value} of workflow '{workflow.Name}' has no value: set the environment variable {s.From}");
                secrets[s.Name.Value] = value;
            }
            // Recorded as a run of the workflow itself (trigger build), beside `workflow run`'s runs.
            using var recorded = settings.Recording?.Start(definition, new Dictionary<string, string>(), retention: false);
            var log = new NestedRunLog(context.Log, settings.Verbose);
            var result = await new WorkflowEngine().RunAsync(ExecutionPlan.Create(definition), new RunOptions
            {
                MaxParallel = settings.MaxParallel,
                Executors = DockerExecutors.Overrides,
                Secrets = secrets,
                Observers = recorded?.Observers(log) ?? [log],
                CleanupToken = settings.CleanupToken,
            }, cancellationToken).ConfigureAwait(false);
            if (recorded is not null) await recorded.CompleteAsync().ConfigureAwait(false);
            settings.Outputs.Record(workflow.Name, result);
            cancellationToken.ThrowIfCancellationRequested();
            if (result.Status != RunStatus.Succeeded)
                throw new InvalidOperationException($"workflow '{workflow.Name}' failed: {result.Error}");
        };
}

/// <summary>What the host decided for this run.</summary>
internal enum SkipReason { None, Skipped, Continued }

internal sealed record BuildSettings(string ProjectDirectory, int MaxParallel, bool Verbose, Func<string, SkipReason> Skipped, CancellationToken CleanupToken)
{
    /// <summary>Where the runs are recorded; null for --plan and --dry-run, which run nothing.</summary>
    public Pipeline.Build.Recording.BuildRecording? Recording { get; init; }

    /// <summary>The build's Taskfiles, each read once and run as one go-task run.</summary>
    public Pipeline.Build.Taskfiles.TaskfileSessions? Taskfiles { get; init; }

    /// <summary>What the build's workflow tasks published, for targets to read.</summary>
    public WorkflowOutputs Outputs { get; } = new();
}
