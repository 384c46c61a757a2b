using System.Runtime.CompilerServices;
using Pipeline.Core.Typed;

namespace Pipeline.Build;

/// <summary>
/// The fluent description of one target. Three kinds of edge, each declarable from either end, as
/// in NUKE: <b>execute</b> (<see cref="DependsOn(Target[])"/>, <see cref="DependentFor"/>: pulls the
/// other target into the run), <b>order</b> (<see cref="After"/>, <see cref="Before"/>: only orders
/// targets that run anyway) and <b>trigger</b> (<see cref="Triggers"/>, <see cref="TriggeredBy"/>:
/// runs the other target after this one). A target can also depend on generated workflows and their
/// tasks (<c>Workflows.Deploy.Build</c>). Independent targets run in parallel.
/// </summary>
public sealed class TargetDefinition
{
    internal string? DescriptionText { get; private set; }
    internal bool IsUnlisted { get; private set; }
    internal List<Target> DependsOnTargets { get; } = [];
    internal List<Target> DependentForTargets { get; } = [];
    internal List<Target> AfterTargets { get; } = [];
    internal List<Target> BeforeTargets { get; } = [];
    internal List<Target> TriggersTargets { get; } = [];
    internal List<Target> TriggeredByTargets { get; } = [];
    internal List<TaskHandle> DependsOnTasks { get; } = [];
    internal List<WorkflowHandle> DependsOnWorkflows { get; } = [];
    internal List<TaskHandle> DependentForTasks { get; } = [];
    internal List<(Func<bool> Condition, string Text)> StaticConditions { get; } = [];
    internal List<(Func<bool> Condition, string Text)> DynamicConditions { get; } = [];
    internal List<Func<TargetContext, Task>> Actions { get; } = [];
    internal bool Proceed { get; private set; }
    internal bool Assured { get; private set; }
    internal TimeSpan? TimeoutValue { get; private set; }
    internal int RetryAttempts { get; private set; } = 1;
    internal TimeSpan RetryDelay { get; private set; }

    /// <summary>The text <c>--help</c> shows for the target.</summary>
    public TargetDefinition Description(string text)
    {
        DescriptionText = text;
        return this;
    }

    /// <summary>Leaves the target out of <c>--help</c> (it can still be run by name).</summary>
    public TargetDefinition Unlisted()
    {
        IsUnlisted = true;
        return this;
    }

    /// <summary>These targets run first, and running this target runs them.</summary>
    public TargetDefinition DependsOn(params Target[] targets) => Add(DependsOnTargets, targets);

    /// <summary>These generated workflow tasks (and what they depend on) run first.</summary>
    public TargetDefinition DependsOn(params TaskHandle[] tasks) => Add(DependsOnTasks, tasks);

    /// <summary>These generated workflows run first, whole.</summary>
    public TargetDefinition DependsOn(params WorkflowHandle[] workflows) => Add(DependsOnWorkflows, workflows);

    /// <summary>The other end of <see cref="DependsOn(Target[])"/>: these targets depend on this one.</summary>
    public TargetDefinition DependentFor(params Target[] targets) => Add(DependentForTargets, targets);

    /// <summary>
    /// These workflow or Taskfile tasks depend on this target: when the build runs one of them, this
    /// target runs first (a Taskfile task waiting for C#, e.g. code generated before <c>task build</c>).
    /// </summary>
    public TargetDefinition DependentFor(params TaskHandle[] tasks) => Add(DependentForTasks, tasks);

    /// <summary>When these targets run too, this one waits for them; it does not make them run.</summary>
    public TargetDefinition After(params Target[] targets) => Add(AfterTargets, targets);

    /// <summary>When these targets run too, they wait for this one.</summary>
    public TargetDefinition Before(params Target[] targets) => Add(BeforeTargets, targets);

    /// <summary>Running this target also runs these, after it.</summary>
    public TargetDefinition Triggers(params Target[] targets) => Add(TriggersTargets, targets);

    /// <summary>Running one of these targets also runs this one, after it.</summary>
    public TargetDefinition TriggeredBy(params Target[] targets) => Add(TriggeredByTargets, targets);

    /// <summary>Decided once, before anything runs; false skips the target (its dependencies still run). The summary shows the condition's text.</summary>
    public TargetDefinition OnlyWhenStatic(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string? text = null)
    {
        StaticConditions.Add((condition, Clean(text)));
        return this;
    }

    /// <summary>Decided just before the target would run; false skips it, and targets that wait on it still run.</summary>
    public TargetDefinition OnlyWhenDynamic(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string? text = null)
    {
        DynamicConditions.Add((condition, Clean(text)));
        return this;
    }

    /// <summary>A failure of this target does not stop the others; the build still fails at the end.</summary>
    public TargetDefinition ProceedAfterFailure()
    {
        Proceed = true;
        return this;
    }

    /// <summary>Runs even after another target failed or the build was cancelled (clean-up).</summary>
    public TargetDefinition AssuredAfterFailure()
    {
        Assured = true;
        return this;
    }

    /// <summary>Kills the target's work after this long (each attempt).</summary>
    public TargetDefinition Timeout(TimeSpan timeout)
    {
        TimeoutValue = timeout;
        return this;
    }

    /// <summary>Tries the target up to <paramref name="attempts"/> times in all, with exponential backoff from <paramref name="delay"/>.</summary>
    public TargetDefinition Retry(int attempts, TimeSpan? delay = null)
    {
        if (attempts < 1) throw new ArgumentOutOfRangeException(nameof(attempts), "a target is tried at least once");
        RetryAttempts = attempts;
        RetryDelay = delay ?? TimeSpan.FromSeconds(1);
        return this;
    }

    public TargetDefinition Executes(Action action) => Executes(_ => { action(); return Task.CompletedTask; });

    public TargetDefinition Executes(Func<Task> action) => Executes(_ => action());

    public TargetDefinition Executes(Action<TargetContext> action) => Executes(c => { action(c); return Task.CompletedTask; });

    public TargetDefinition Executes(Func<TargetContext, Task> action)
    {
        Actions.Add(action);
        return this;
    }

    private TargetDefinition Add<T>(List<T> list, T[] items)
    {
        list.AddRange(items);
        return this;
    }

    private static string Clean(string? text) => text is null ? "condition" : text.StartsWith("() => ", StringComparison.Ordinal) ? text[6..] : text;
}
