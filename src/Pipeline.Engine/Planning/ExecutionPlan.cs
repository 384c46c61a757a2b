using Pipeline.Core.Graph;
using Pipeline.Core.Model;

namespace Pipeline.Engine.Planning;

/// <summary>
/// What the engine will do for one workflow: the DAG with its levels, the critical path, an estimate
/// of the run's duration and, for each task, the longest remaining path from it to the end. The
/// scheduler starts the ready task with the longest remaining path first, so the run finishes as
/// early as the DAG allows (the "critical path first" list-scheduling rule).
/// </summary>
public sealed class ExecutionPlan
{
    private ExecutionPlan(WorkflowDefinition workflow, WorkflowGraph graph, IReadOnlyDictionary<string, double> estimates,
        IReadOnlyDictionary<string, double> remaining, IReadOnlyDictionary<string, int> order)
    {
        Workflow = workflow;
        Graph = graph;
        Estimates = estimates;
        RemainingPath = remaining;
        FileOrder = order;
    }

    public WorkflowDefinition Workflow { get; }
    public WorkflowGraph Graph { get; }

    /// <summary>Estimated seconds per DAG task (from history when known, else the timeout, else one second).</summary>
    public IReadOnlyDictionary<string, double> Estimates { get; }

    /// <summary>Estimated seconds from a task's start to the end of the longest chain that waits on it.</summary>
    public IReadOnlyDictionary<string, double> RemainingPath { get; }

    /// <summary>Position of each DAG task in the file: the tie-breaker between equal priorities.</summary>
    public IReadOnlyDictionary<string, int> FileOrder { get; }

    /// <summary>Estimated seconds of the whole run with unlimited parallelism (the longest remaining path).</summary>
    public double EstimatedSeconds => RemainingPath.Count == 0 ? 0 : RemainingPath.Values.Max();

    /// <summary>The chain that bounds the run by the estimates, first task first.</summary>
    public IReadOnlyList<string> CriticalPath
    {
        get
        {
            var path = new List<string>();
            var start = Graph.Nodes.Where(n => Graph.Dependencies[n].Count == 0).OrderByDescending(n => RemainingPath[n]).FirstOrDefault();
            for (var n = start; n is not null; n = Graph.Dependents[n].OrderByDescending(d => RemainingPath[d]).FirstOrDefault())
                path.Add(n);
            return path;
        }
    }

    /// <summary>
    /// Builds the plan. <paramref name="estimate"/> gives a task's expected seconds (from run history);
    /// when it returns null the task's timeout is used, and one second when it has none.
    /// </summary>
    public static ExecutionPlan Create(WorkflowDefinition workflow, Func<TaskDefinition, double?>? estimate = null)
    {
        var graph = WorkflowGraph.Build(workflow);
        var estimates = new Dictionary<string, double>(graph.Nodes.Count, StringComparer.Ordinal);
        var order = new Dictionary<string, int>(graph.Nodes.Count, StringComparer.Ordinal);
        for (var i = 0; i < graph.Nodes.Count; i++)
        {
            var task = graph.Task(graph.Nodes[i]);
            order[task.Id.Value] = i;
            estimates[task.Id.Value] = estimate?.Invoke(task) ?? task.Timeout?.Value ?? 1;
        }

        var remaining = new Dictionary<string, double>(graph.Nodes.Count, StringComparer.Ordinal);
        for (var i = graph.TopologicalOrder.Count - 1; i >= 0; i--)
        {
            var id = graph.TopologicalOrder[i];
            var after = 0.0;
            foreach (var d in graph.Dependents[id]) after = Math.Max(after, remaining[d]);
            remaining[id] = estimates[id] + after;
        }
        // Tasks inside a cycle have no topological position; the validator refuses such workflows.
        foreach (var id in graph.Nodes) remaining.TryAdd(id, estimates[id]);
        return new ExecutionPlan(workflow, graph, estimates, remaining, order);
    }
}
