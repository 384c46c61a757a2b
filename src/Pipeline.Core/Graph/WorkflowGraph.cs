using System;
using System.Collections.Generic;
using System.Linq;
using Pipeline.Core.Model;

namespace Pipeline.Core.Graph;

/// <summary>
/// The DAG of the tasks the scheduler starts by itself (<see cref="WorkflowDefinition.DagTasks"/>):
/// dependencies, topological levels (tasks in one level can run at the same time) and the critical
/// path (the chain that bounds the run's duration). Edges to unknown tasks and cycles are left out;
/// the validator reports them.
/// </summary>
public sealed class WorkflowGraph
{
    private readonly Dictionary<string, TaskDefinition> _tasks;

    private WorkflowGraph(
        Dictionary<string, TaskDefinition> tasks,
        IReadOnlyList<string> nodes,
        IReadOnlyDictionary<string, IReadOnlyList<string>> dependencies,
        IReadOnlyDictionary<string, IReadOnlyList<string>> dependents,
        IReadOnlyList<IReadOnlyList<string>> levels,
        IReadOnlyList<string> criticalPath,
        IReadOnlyList<string> topologicalOrder)
    {
        TopologicalOrder = topologicalOrder;
        _tasks = tasks;
        Nodes = nodes;
        Dependencies = dependencies;
        Dependents = dependents;
        Levels = levels;
        CriticalPath = criticalPath;
    }

    /// <summary>Task ids in file order.</summary>
    public IReadOnlyList<string> Nodes { get; }

    /// <summary>Every task after the tasks it depends on (tasks inside a cycle are left out).</summary>
    public IReadOnlyList<string> TopologicalOrder { get; }

    public TaskDefinition Task(string id) => _tasks[id];

    /// <summary>For each task, the tasks it waits for.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Dependencies { get; }

    /// <summary>For each task, the tasks that wait for it.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Dependents { get; }

    /// <summary>Level 0 has no dependencies; a task's level is one more than its deepest dependency.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Levels { get; }

    /// <summary>The longest chain by estimated duration (timeouts), ties broken by task count.</summary>
    public IReadOnlyList<string> CriticalPath { get; }

    /// <summary>The largest number of tasks that can run at once (the widest level).</summary>
    public int MaxWidth => Levels.Count == 0 ? 0 : Levels.Max(l => l.Count);

    /// <summary>
    /// Upper bound of the run's duration: the sum of the timeouts on the critical path, or null when a
    /// task on it has no timeout. (Later estimates come from run history.)
    /// </summary>
    public int? EstimatedSeconds
    {
        get
        {
            var total = 0L;
            foreach (var id in CriticalPath)
            {
                if (_tasks[id].Timeout is not { } t) return null;
                total += t.Value;
            }
            return (int)Math.Min(int.MaxValue, total);
        }
    }

    public static WorkflowGraph Build(WorkflowDefinition workflow)
    {
        var dag = workflow.DagTasks();
        var tasks = new Dictionary<string, TaskDefinition>(dag.Count, StringComparer.Ordinal);
        foreach (var t in dag) if (!tasks.ContainsKey(t.Id.Value)) tasks.Add(t.Id.Value, t);
        var nodes = new List<string>(tasks.Keys);
        var position = new Dictionary<string, int>(nodes.Count, StringComparer.Ordinal);
        for (var i = 0; i < nodes.Count; i++) position[nodes[i]] = i;

        // Plain loops rather than LINQ: planning runs before every run, for workflows of thousands of tasks.
        var deps = new Dictionary<string, IReadOnlyList<string>>(nodes.Count, StringComparer.Ordinal);
        foreach (var n in nodes)
        {
            var list = new List<string>(tasks[n].DependsOn.Count);
            foreach (var r in tasks[n].DependsOn)
                if (r.Id != n && tasks.ContainsKey(r.Id) && !list.Contains(r.Id)) list.Add(r.Id);
            deps[n] = list;
        }

        // Kahn's algorithm in file order: levels and a topological order in one pass. When it orders every
        // task there is no cycle; only otherwise are cycles looked for, and every edge inside one dropped
        // so the rest of the graph still has levels.
        var acyclic = deps;
        var (order, level, dependents) = Kahn(nodes, acyclic);
        if (order.Count < nodes.Count)
        {
            var inCycle = new HashSet<string>(Cycles.Find(nodes, n => deps[n]).SelectMany(c => c), StringComparer.Ordinal);
            acyclic = new Dictionary<string, IReadOnlyList<string>>(nodes.Count, StringComparer.Ordinal);
            foreach (var n in nodes)
                acyclic[n] = inCycle.Contains(n) ? Array.Empty<string>() : deps[n].Where(d => !inCycle.Contains(d)).ToList();
            (order, level, dependents) = Kahn(nodes, acyclic);
        }
        var byLevel = new List<List<string>>();
        foreach (var n in order)
        {
            var l = level[n];
            while (byLevel.Count <= l) byLevel.Add(new List<string>());
            byLevel[l].Add(n);
        }
        var levels = new List<IReadOnlyList<string>>(byLevel.Count);
        foreach (var l in byLevel)
        {
            l.Sort((x, y) => position[x].CompareTo(position[y]));
            levels.Add(l);
        }

        // Critical path: longest path by (timeout seconds, task count) over the topological order.
        var best = new Dictionary<string, (long Weight, int Count, string? Previous)>(StringComparer.Ordinal);
        foreach (var n in order)
        {
            var own = tasks[n].Timeout?.Value ?? 0;
            (long Weight, int Count, string? Previous) b = (own, 1, null);
            foreach (var d in acyclic[n])
            {
                var c = best[d];
                if (c.Weight + own > b.Weight || (c.Weight + own == b.Weight && c.Count + 1 > b.Count)) b = (c.Weight + own, c.Count + 1, d);
            }
            best[n] = b;
        }
        var path = new List<string>();
        if (best.Count > 0)
        {
            var end = order.Aggregate((a, b) => best[b].Weight > best[a].Weight || (best[b].Weight == best[a].Weight && best[b].Count > best[a].Count) ? b : a);
            for (string? n = end; n is not null; n = best[n].Previous) path.Add(n);
            path.Reverse();
        }

        return new WorkflowGraph(tasks, nodes, deps, dependents, levels, path, order);
    }

    /// <summary>Kahn's algorithm over <paramref name="edges"/> (a task to the tasks it waits for), tasks taken in file order.</summary>
    private static (List<string> Order, Dictionary<string, int> Level, Dictionary<string, IReadOnlyList<string>> Dependents) Kahn(
        List<string> nodes, Dictionary<string, IReadOnlyList<string>> edges)
    {
        var dependents = new Dictionary<string, IReadOnlyList<string>>(nodes.Count, StringComparer.Ordinal);
        foreach (var n in nodes) dependents[n] = new List<string>();
        foreach (var n in nodes) foreach (var d in edges[n]) ((List<string>)dependents[d]).Add(n);

        var level = new Dictionary<string, int>(nodes.Count, StringComparer.Ordinal);
        var remaining = new Dictionary<string, int>(nodes.Count, StringComparer.Ordinal);
        var ready = new Queue<string>();
        foreach (var n in nodes)
        {
            remaining[n] = edges[n].Count;
            if (edges[n].Count == 0) ready.Enqueue(n);
        }
        var order = new List<string>(nodes.Count);
        while (ready.Count > 0)
        {
            var n = ready.Dequeue();
            order.Add(n);
            var l = 0;
            foreach (var d in edges[n]) l = Math.Max(l, level[d] + 1);
            level[n] = l;
            foreach (var m in dependents[n])
                if (--remaining[m] == 0) ready.Enqueue(m);
        }
        return (order, level, dependents);
    }
}
