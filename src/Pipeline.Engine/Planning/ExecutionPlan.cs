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
    private readonly double[] _estimates;
    private readonly double[] _remaining;
    private IReadOnlyDictionary<string, double>? _estimatesById;
    private IReadOnlyDictionary<string, double>? _remainingById;

    private ExecutionPlan(WorkflowDefinition workflow, WorkflowGraph graph, double[] estimates, double[] remaining)
    {
        Workflow = workflow;
        Graph = graph;
        _estimates = estimates;
        _remaining = remaining;
    }

    public WorkflowDefinition Workflow { get; }
    public WorkflowGraph Graph { get; }

    /// <summary>Estimated seconds per DAG task (from history when known, else the timeout, else one second).</summary>
    public IReadOnlyDictionary<string, double> Estimates => _estimatesById ??= ById(_estimates);

    /// <summary>Estimated seconds from a task's start to the end of the longest chain that waits on it.</summary>
    public IReadOnlyDictionary<string, double> RemainingPath => _remainingById ??= ById(_remaining);

    /// <summary><see cref="RemainingPath"/> of the task at a graph position (<see cref="WorkflowGraph.IndexOf"/>): the scheduler's priority.</summary>
    public double RemainingPathAt(int index) => _remaining[index];

    /// <summary>Estimated seconds of the whole run with unlimited parallelism (the longest remaining path).</summary>
    public double EstimatedSeconds => _remaining.Length == 0 ? 0 : _remaining.Max();

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
        var estimates = new double[graph.Count];
        for (var i = 0; i < estimates.Length; i++)
        {
            var task = graph.TaskAt(i);
            estimates[i] = estimate?.Invoke(task) ?? task.Timeout?.Value ?? 1;
        }

        // A cycle's tasks are ordered as if its edges were not there; the validator refuses such workflows anyway.
        var remaining = (double[])estimates.Clone();
        var order = graph.TopologicalIndices;
        for (var i = order.Count - 1; i >= 0; i--)
        {
            var t = order[i];
            var after = 0.0;
            foreach (var d in graph.DependentIndices(t)) after = Math.Max(after, remaining[d]);
            remaining[t] = estimates[t] + after;
        }
        return new ExecutionPlan(workflow, graph, estimates, remaining);
    }

    private IReadOnlyDictionary<string, double> ById(double[] values)
    {
        var byId = new Dictionary<string, double>(values.Length, StringComparer.Ordinal);
        for (var i = 0; i < values.Length; i++) byId[Graph.Nodes[i]] = values[i];
        return byId;
    }
}
