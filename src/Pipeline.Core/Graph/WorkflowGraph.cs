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
/// <remarks>
/// Built on task positions (file order) rather than ids: the engine plans before every run, for
/// workflows of thousands of tasks, and walks the graph once per task it starts. The views by id
/// (<see cref="Dependencies"/>, <see cref="Levels"/>, ...) are made on first use, for the tools
/// that print or check the graph.
/// </remarks>
public sealed class WorkflowGraph
{
    private readonly string[] _nodes;
    private readonly TaskDefinition[] _tasks;
    private readonly Dictionary<string, int> _index;
    private readonly int[][] _dependencies; // every valid edge, cycles included
    private readonly int[][] _acyclic;      // the same without the edges of cycles' tasks (from them or to them)
    private readonly int[][] _dependents;   // _acyclic reversed
    private readonly int[] _order;          // topological order over _acyclic: every task
    private readonly int[] _level;          // over _acyclic

    private IReadOnlyDictionary<string, IReadOnlyList<string>>? _dependenciesById;
    private IReadOnlyDictionary<string, IReadOnlyList<string>>? _dependentsById;
    private IReadOnlyList<string>? _orderById;
    private IReadOnlyList<IReadOnlyList<string>>? _levels;
    private IReadOnlyList<string>? _criticalPath;

    private WorkflowGraph(string[] nodes, TaskDefinition[] tasks, Dictionary<string, int> index, int[][] dependencies, int[][] acyclic, int[][] dependents, int[] order, int[] level)
    {
        _nodes = nodes;
        _tasks = tasks;
        _index = index;
        _dependencies = dependencies;
        _acyclic = acyclic;
        _dependents = dependents;
        _order = order;
        _level = level;
    }

    /// <summary>Task ids in file order.</summary>
    public IReadOnlyList<string> Nodes => _nodes;

    /// <summary>Every task after the tasks it depends on (a cycle's tasks as if their cycle's edges were not there).</summary>
    public IReadOnlyList<string> TopologicalOrder => _orderById ??= Names(_order);

    public TaskDefinition Task(string id) => _tasks[_index[id]];

    /// <summary>For each task, the tasks it waits for.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Dependencies => _dependenciesById ??= ById(_dependencies);

    /// <summary>For each task, the tasks that wait for it.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Dependents => _dependentsById ??= ById(_dependents);

    /// <summary>Level 0 has no dependencies; a task's level is one more than its deepest dependency.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Levels => _levels ??= ComputeLevels();

    /// <summary>The longest chain by estimated duration (timeouts), ties broken by task count.</summary>
    public IReadOnlyList<string> CriticalPath => _criticalPath ??= ComputeCriticalPath();

    /// <summary>The largest number of tasks that can run at once (the widest level).</summary>
    public int MaxWidth => Levels.Count == 0 ? 0 : Levels.Max(l => l.Count);

    /// <summary>The number of tasks; positions run from 0 to Count - 1 in file order.</summary>
    public int Count => _nodes.Length;

    /// <summary>A task's position (its index in <see cref="Nodes"/>).</summary>
    public int IndexOf(string id) => _index[id];

    public TaskDefinition TaskAt(int index) => _tasks[index];

    /// <summary>The positions of the tasks the task at <paramref name="index"/> waits for.</summary>
    public IndexList DependencyIndices(int index) => new(_dependencies[index]);

    /// <summary>The positions of the tasks that wait for the task at <paramref name="index"/>.</summary>
    public IndexList DependentIndices(int index) => new(_dependents[index]);

    /// <summary><see cref="TopologicalOrder"/> as positions.</summary>
    public IndexList TopologicalIndices => new(_order);

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
                if (Task(id).Timeout is not { } t) return null;
                total += t.Value;
            }
            return (int)Math.Min(int.MaxValue, total);
        }
    }

    public static WorkflowGraph Build(WorkflowDefinition workflow)
    {
        var dag = workflow.DagTasks();
        var index = new Dictionary<string, int>(dag.Count, StringComparer.Ordinal);
        var tasks = new List<TaskDefinition>(dag.Count);
        foreach (var t in dag)
        {
            if (index.ContainsKey(t.Id.Value)) continue;
            index.Add(t.Id.Value, tasks.Count);
            tasks.Add(t);
        }
        var n = tasks.Count;
        var nodes = new string[n];
        for (var i = 0; i < n; i++) nodes[i] = tasks[i].Id.Value;

        var deps = new int[n][];
        var scratch = new List<int>();
        for (var i = 0; i < n; i++)
        {
            scratch.Clear();
            foreach (var r in tasks[i].DependsOn)
                if (index.TryGetValue(r.Id, out var d) && d != i && !scratch.Contains(d)) scratch.Add(d);
            deps[i] = scratch.Count == 0 ? Array.Empty<int>() : scratch.ToArray();
        }

        // Kahn's algorithm in file order: levels and a topological order in one pass. When it orders every
        // task there is no cycle; only otherwise are cycles looked for, and every edge inside one dropped
        // so the rest of the graph still has levels.
        var acyclic = deps;
        var (order, level, dependents) = Kahn(acyclic);
        if (order.Length < n)
        {
            var cycles = Cycles.Find(nodes, id => deps[index[id]].Select(d => nodes[d]));
            var inCycle = new bool[n];
            foreach (var cycle in cycles) foreach (var id in cycle) inCycle[index[id]] = true;
            acyclic = new int[n][];
            for (var i = 0; i < n; i++)
                acyclic[i] = inCycle[i] ? Array.Empty<int>() : deps[i].Where(d => !inCycle[d]).ToArray();
            (order, level, dependents) = Kahn(acyclic);
        }
        return new WorkflowGraph(nodes, tasks.ToArray(), index, deps, acyclic, dependents, order, level);
    }

    /// <summary>Kahn's algorithm over <paramref name="edges"/> (a task to the tasks it waits for), tasks taken in file order.</summary>
    private static (int[] Order, int[] Level, int[][] Dependents) Kahn(int[][] edges)
    {
        var n = edges.Length;
        var count = new int[n];
        foreach (var e in edges) foreach (var d in e) count[d]++;
        var dependents = new int[n][];
        for (var i = 0; i < n; i++) dependents[i] = count[i] == 0 ? Array.Empty<int>() : new int[count[i]];
        var filled = new int[n];
        for (var i = 0; i < n; i++) foreach (var d in edges[i]) dependents[d][filled[d]++] = i; // each list in file order

        var level = new int[n];
        var remaining = new int[n];
        var order = new int[n]; // doubles as the FIFO queue: what is ordered is what was dequeued
        int head = 0, tail = 0;
        for (var i = 0; i < n; i++)
        {
            level[i] = -1;
            remaining[i] = edges[i].Length;
            if (remaining[i] == 0) order[tail++] = i;
        }
        while (head < tail)
        {
            var t = order[head++];
            var l = 0;
            foreach (var d in edges[t]) l = Math.Max(l, level[d] + 1);
            level[t] = l;
            foreach (var m in dependents[t])
                if (--remaining[m] == 0) order[tail++] = m;
        }
        if (tail < n) Array.Resize(ref order, tail);
        return (order, level, dependents);
    }

    private string[] Names(int[] positions)
    {
        var names = new string[positions.Length];
        for (var i = 0; i < names.Length; i++) names[i] = _nodes[positions[i]];
        return names;
    }

    private IReadOnlyDictionary<string, IReadOnlyList<string>> ById(int[][] lists)
    {
        var byId = new Dictionary<string, IReadOnlyList<string>>(_nodes.Length, StringComparer.Ordinal);
        for (var i = 0; i < _nodes.Length; i++) byId[_nodes[i]] = Names(lists[i]);
        return byId;
    }

    /// <summary>Each level's tasks in file order.</summary>
    private IReadOnlyList<IReadOnlyList<string>> ComputeLevels()
    {
        var levels = new List<List<string>>();
        for (var i = 0; i < _nodes.Length; i++)
        {
            var l = _level[i];
            while (levels.Count <= l) levels.Add(new List<string>());
            levels[l].Add(_nodes[i]);
        }
        return levels;
    }

    /// <summary>Longest path by (timeout seconds, task count) over the topological order.</summary>
    private IReadOnlyList<string> ComputeCriticalPath()
    {
        if (_order.Length == 0) return Array.Empty<string>();
        var weight = new long[_nodes.Length];
        var count = new int[_nodes.Length];
        var previous = new int[_nodes.Length];
        var end = -1;
        foreach (var t in _order)
        {
            var own = _tasks[t].Timeout?.Value ?? 0;
            (weight[t], count[t], previous[t]) = (own, 1, -1);
            foreach (var d in _acyclic[t])
            {
                if (weight[d] + own > weight[t] || (weight[d] + own == weight[t] && count[d] + 1 > count[t]))
                    (weight[t], count[t], previous[t]) = (weight[d] + own, count[d] + 1, d);
            }
            if (end < 0 || weight[t] > weight[end] || (weight[t] == weight[end] && count[t] > count[end])) end = t;
        }
        var path = new List<string>();
        for (var t = end; t >= 0; t = previous[t]) path.Add(_nodes[t]);
        path.Reverse();
        return path;
    }
}
