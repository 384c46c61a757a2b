using Pipeline.Core.Typed;

namespace Pipeline.Build.Hosting;

/// <summary>
/// One node of the build's graph: a target, or a generated workflow (whole, or the tasks targets
/// asked for, with what they depend on). All requests for one workflow share one node, so none of its
/// tasks runs twice.
/// </summary>
internal sealed class BuildNode
{
    private BuildNode(string id) => Id = id;

    public string Id { get; }
    public NamedTarget? Target { get; private init; }
    public TargetDefinition? Definition { get; private init; }
    public WorkflowHandle? Workflow { get; private init; }

    /// <summary>The workflow's tasks to run, with their dependencies; empty means the whole workflow.</summary>
    public SortedSet<string> Tasks { get; } = new(StringComparer.Ordinal);
    public bool WholeWorkflow { get; set; }

    /// <summary>Nodes that must finish before this one (execute, trigger and applicable order edges).</summary>
    public HashSet<BuildNode> Dependencies { get; } = [];

    public string? Description => Target is not null
        ? Definition!.DescriptionText
        : Workflow!.Description ?? $"workflow {Workflow.File}";

    public static BuildNode ForTarget(NamedTarget target, TargetDefinition definition) =>
        new(target.Name) { Target = target, Definition = definition };

    public static BuildNode ForWorkflow(WorkflowHandle workflow) => new(workflow.Name) { Workflow = workflow };

    public override string ToString() => Id;
}
