using Pipeline.Build.Hosting;
using Pipeline.Engine.Planning;

namespace Pipeline.Build;

/// <summary><c>--plan</c> as a Mermaid graph (NUKE's three edge kinds: <c>--&gt;</c> depends on, <c>-.-&gt;</c> ordered after, <c>==&gt;</c> triggered by) and the dry run's levels.</summary>
internal static class PlanPrinter
{
    public static void Mermaid(TextWriter o, IReadOnlyList<BuildNode> nodes, BuildGraph graph)
    {
        o.WriteLine("graph LR");
        foreach (var n in nodes)
        {
            var label = n.Target is not null ? n.Id
                : n.TaskfileTask is not null ? $"{n.Id} (Taskfile task)"
                : $"{n.Id} (workflow{(n.WholeWorkflow || n.Tasks.Count == 0 ? "" : ": " + string.Join(", ", n.Tasks))})";
            o.WriteLine($"  {Id(n)}[\"{label.Replace("\"", "'")}\"]");
        }
        foreach (var n in nodes)
        {
            var def = n.Definition;
            foreach (var d in n.Dependencies.OrderBy(d => d.Id, StringComparer.Ordinal))
            {
                var arrow = def is null ? "-->" : Kind(graph, n, d);
                o.WriteLine($"  {Id(d)} {arrow} {Id(n)}");
            }
        }
    }

    /// <summary>The dry run: what would run, level by level (a level's nodes can run at once), and what would be skipped.</summary>
    public static async Task LevelsAsync(TextWriter o, ExecutionPlan plan, IReadOnlyList<BuildNode> nodes, BuildSettings settings, CancellationToken ct)
    {
        o.WriteLine($"Plan: {nodes.Count} node(s) in {plan.Graph.Levels.Count} level(s); the nodes of one level can run at once.");
        for (var i = 0; i < plan.Graph.Levels.Count; i++)
        {
            o.WriteLine($"  level {i + 1}:");
            foreach (var id in plan.Graph.Levels[i])
            {
                var node = nodes.First(n => n.Id == id);
                if (node.TaskfileTask is not null)
                {
                    // go-task's view: the task, its deps and calls, each running or up to date (status and sources checks run; they only read).
                    o.WriteLine($"    {id}: Taskfile {node.Workflow!.File}");
                    foreach (var (task, status) in await settings.Taskfiles!.For(node.Workflow).PlanAsync(node.TaskfileTask, ct).ConfigureAwait(false))
                        o.WriteLine($"      {task}: {status}");
                    continue;
                }
                var what = node.Target is not null
                    ? BuildDefinition.StaticSkip(node, settings) is { } skip ? $"skipped ({skip})" : $"target{(node.Definition!.DynamicConditions.Count > 0 ? ", if " + string.Join(" and ", node.Definition.DynamicConditions.Select(c => c.Text)) : "")}"
                    : $"workflow {node.Workflow!.File}{TasksOf(node, settings)}";
                o.WriteLine($"    {id}: {what}");
            }
        }
        o.WriteLine("Nothing was run (--dry-run).");
    }

    /// <summary>Every task a workflow node would run: the whole workflow's, or the subset's (named tasks, their dependencies, what those invoke).</summary>
    private static string TasksOf(BuildNode node, BuildSettings settings)
    {
        if (node.Workflow!.DefinitionIn(settings.ProjectDirectory) is not { } definition) return "";
        if (!node.WholeWorkflow && node.Tasks.Count > 0) definition = Pipeline.Engine.Planning.WorkflowSubset.For(definition, node.Tasks);
        return ": " + string.Join(", ", definition.Tasks.Select(t => t.Id.Value));
    }

    /// <summary>How <paramref name="node"/> came to wait for <paramref name="dependency"/>.</summary>
    private static string Kind(BuildGraph graph, BuildNode node, BuildNode dependency)
    {
        var def = node.Definition!;
        bool Names(IEnumerable<Target> list) => list.Any(t => graph.Targets.FirstOrDefault(x => x.Target.Equals(t))?.Name == dependency.Id);
        if (dependency.Target is null || Names(def.DependsOnTargets)) return "-->";
        if (Names(def.TriggeredByTargets) || (dependency.Definition is { } d && d.TriggersTargets.Any(t => t.Equals(node.Target!.Target)))) return "==>";
        if (Names(def.AfterTargets) || (dependency.Definition is { } b && b.BeforeTargets.Any(t => t.Equals(node.Target!.Target)))) return "-.->";
        return "-->";
    }

    private static string Id(BuildNode n) => "n_" + new string(n.Id.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray());
}
