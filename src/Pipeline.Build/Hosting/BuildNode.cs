using Pipeline.Core.Typed;

namespace Pipeline.Build.Hosting;

/// <summary>
/// One node of the build's graph: a target, a generated workflow (whole, or the tasks targets
/// asked for, with what they depend on), or one task of a Taskfile. All requests for one workflow
/// share one node, so none of its tasks runs twice; a Taskfile's task nodes share one Taskfile run,
/// so its <c>run: once</c> rules hold across the invocation.
/// </summary>
internal sealed class BuildNode
{
    private BuildNode(string id) => Id = id;

    public string Id { get; }
    public NamedTarget? Target { get; private init; }
    public TargetDefinition? Definition { get; private init; }
    public WorkflowHandle? Workflow { get; private init; }

    /// <summary>For a Taskfile's node: the task to run as if named on go-task's command line (<c>docs:publish</c>, <c>default</c>).</summary>
    public string? TaskfileTask { get; private init; }

    /// <summary>The workflow's tasks to run, with their dependencies; empty means the whole workflow.</summary>
    public SortedSet<string> Tasks { get; } = new(StringComparer.Ordinal);
    public bool WholeWorkflow { get; set; }

    /// <summary>Nodes that must finish before this one (execute, trigger and applicable order edges).</summary>
    public HashSet<BuildNode> Dependencies { get; } = [];

    public string? Description => Target is not null
        ? Definition!.DescriptionText
        : TaskfileTask is not null
            ? Workflow!.FindTask(TaskfileTask)?.Description ?? $"task {TaskfileTask} of {Workflow.File}"
            : Workflow!.Description ?? $"workflow {Workflow.File}";

    public static BuildNode ForTarget(NamedTarget target, TargetDefinition definition) =>
        new(target.Name) { Target = target, Definition = definition };

    public static BuildNode ForWorkflow(WorkflowHandle workflow) => new(workflow.Name) { Workflow = workflow };

    public static BuildNode ForTaskfileTask(WorkflowHandle taskfile, string task) =>
        new($"{taskfile.Name}:{task}") { Workflow = taskfile, TaskfileTask = task };

    public override string ToString() => Id;
}
