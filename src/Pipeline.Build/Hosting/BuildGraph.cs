using Pipeline.Core.Graph;
using Pipeline.Core.Typed;

namespace Pipeline.Build.Hosting;

/// <summary>
/// From the build class's targets, the generated workflows and the names on the command line to
/// the nodes that run and their edges: execute edges pull nodes in, triggers add the triggered
/// target after its trigger, order edges (After/Before) apply between nodes that run anyway.
/// </summary>
internal sealed class BuildGraph
{
    private readonly Dictionary<Target, NamedTarget> _byDelegate = [];
    private readonly Dictionary<NamedTarget, TargetDefinition> _definitions = [];
    private readonly IReadOnlyList<NamedTarget> _targets;
    private readonly IReadOnlyList<WorkflowHandle> _workflows;

    public BuildGraph(IReadOnlyList<NamedTarget> targets, IReadOnlyList<WorkflowHandle> workflows)
    {
        _targets = targets;
        _workflows = workflows;
        foreach (var t in targets) _byDelegate[t.Target] = t;
        foreach (var t in targets) _definitions[t] = t.Target(new TargetDefinition());
    }

    public IReadOnlyList<NamedTarget> Targets => _targets;
    public IReadOnlyList<WorkflowHandle> Workflows => _workflows;
    public TargetDefinition DefinitionOf(NamedTarget target) => _definitions[target];

    /// <summary>The nodes to run for the requested names, in a stable order, each with its dependencies.</summary>
    /// <exception cref="UsageException">An unknown name, an undeclared target, or a cycle.</exception>
    public IReadOnlyList<BuildNode> Schedule(IEnumerable<object> requested)
    {
        var targets = new Dictionary<NamedTarget, BuildNode>();
        var workflows = new Dictionary<WorkflowHandle, BuildNode>();
        var taskfileTasks = new Dictionary<string, BuildNode>(StringComparer.Ordinal);
        var pending = new Queue<BuildNode>();

        BuildNode TargetNode(NamedTarget t)
        {
            if (targets.TryGetValue(t, out var node)) return node;
            node = BuildNode.ForTarget(t, _definitions[t]);
            targets[t] = node;
            pending.Enqueue(node);
            return node;
        }

        // A Taskfile's tasks are nodes of their own (a Taskfile named whole runs its default task).
        BuildNode TaskfileNode(WorkflowHandle taskfile, string task)
        {
            var key = $"{taskfile.Name}:{task}";
            if (!taskfileTasks.TryGetValue(key, out var node)) taskfileTasks[key] = node = BuildNode.ForTaskfileTask(taskfile, task);
            return node;
        }

        BuildNode WorkflowNode(WorkflowHandle w, string? task)
        {
            if (w.Format == Pipeline.Core.Model.WorkflowFormat.Taskfile) return TaskfileNode(w, task ?? "default");
            if (!workflows.TryGetValue(w, out var node)) workflows[w] = node = BuildNode.ForWorkflow(w);
            if (task is null) node.WholeWorkflow = true;
            else node.Tasks.Add(task);
            return node;
        }

        foreach (var r in requested)
        {
            switch (r)
            {
                case NamedTarget t: TargetNode(t); break;
                case WorkflowHandle w: WorkflowNode(w, null); break;
                case TaskHandle task: WorkflowNode(task.Workflow, task.Id); break;
                case TaskfileTaskRequest request: TaskfileNode(request.Taskfile, request.Task); break;
            }
        }

        // Execute edges and triggers pull nodes in; repeat until nothing new. A target declared
        // DependentFor a workflow or Taskfile task runs first when that task runs.
        while (true)
        {
            foreach (var node in workflows.Values.Concat(taskfileTasks.Values).ToList())
                foreach (var other in _targets)
                    if (_definitions[other].DependentForTasks.Any(t => t.Workflow == node.Workflow && (node.TaskfileTask is null || t.Id == node.TaskfileTask)))
                        node.Dependencies.Add(TargetNode(other));
            if (pending.Count == 0) break;
        while (pending.Count > 0)
        {
            var node = pending.Dequeue();
            var def = node.Definition!;
            foreach (var dep in def.DependsOnTargets) node.Dependencies.Add(TargetNode(Resolve(dep, node)));
            foreach (var task in def.DependsOnTasks) node.Dependencies.Add(WorkflowNode(task.Workflow, task.Id));
            foreach (var w in def.DependsOnWorkflows) node.Dependencies.Add(WorkflowNode(w, null));
            foreach (var other in _targets)
            {
                var otherDef = _definitions[other];
                if (otherDef.DependentForTargets.Any(d => Same(d, node.Target!))) node.Dependencies.Add(TargetNode(other));
            }
            foreach (var triggered in def.TriggersTargets) TargetNode(Resolve(triggered, node)).Dependencies.Add(node);
            foreach (var other in _targets)
                if (_definitions[other].TriggeredByTargets.Any(d => Same(d, node.Target!))) TargetNode(other).Dependencies.Add(node);
        }
        }
        // DependentFor declared on a target that runs: the targets it names wait for it, if they run.
        foreach (var (target, node) in targets)
            foreach (var dependent in _definitions[target].DependentForTargets)
                if (targets.TryGetValue(Resolve(dependent, node), out var d)) d.Dependencies.Add(node);

        // Order edges only between nodes that run anyway.
        foreach (var (target, node) in targets)
        {
            foreach (var after in _definitions[target].AfterTargets)
                if (targets.TryGetValue(Resolve(after, node), out var before)) node.Dependencies.Add(before);
            foreach (var beforeTarget in _definitions[target].BeforeTargets)
                if (targets.TryGetValue(Resolve(beforeTarget, node), out var later)) later.Dependencies.Add(node);
        }

        var nodes = targets.Values.Concat(workflows.Values).Concat(taskfileTasks.Values).OrderBy(n => n.Id, StringComparer.Ordinal).ToList();
        var byId = nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        var cycles = Cycles.Find(nodes.Select(n => n.Id).ToList(), id => byId[id].Dependencies.Select(d => d.Id));
        if (cycles.Count > 0)
            throw new UsageException($"the targets form a cycle: {string.Join(" -> ", cycles[0])} (each waits for the next)",
                "remove one of the DependsOn, After, Before or Triggers edges in the cycle");
        return nodes;
    }

    /// <summary>A Taskfile task named on the command line (<c>Taskfile:docs:publish</c>), typed or not: included and wildcard tasks have no handle.</summary>
    public sealed record TaskfileTaskRequest(WorkflowHandle Taskfile, string Task);

    private bool Same(Target a, NamedTarget b) => _byDelegate.TryGetValue(a, out var t) && ReferenceEquals(t, b);

    private NamedTarget Resolve(Target target, BuildNode from) =>
        _byDelegate.TryGetValue(target, out var named)
            ? named
            : throw new UsageException($"target '{from.Id}' refers to a target that is not a Target property of the build class",
                "declare every target as a property of the class that calls Run, so the generator lists it");
}
