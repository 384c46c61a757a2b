namespace Pipeline.State;

/// <summary>What the history says about one workflow's runs (seed §8.1): how many, how they ended, how long they took.</summary>
public sealed record WorkflowMetrics(
    string Workflow,
    int Runs,
    int Successes,
    int Failures,
    int Cancelled,
    TimeSpan Average,
    TimeSpan P95,
    DateTimeOffset LastRun,
    string LastStatus)
{
    /// <summary>Successes over finished runs (running ones do not count yet).</summary>
    public double SuccessRate => Runs == 0 ? 0 : (double)Successes / Runs;

    /// <summary>Per workflow, from its executions (any order); runs still going count only as the last run.</summary>
    public static IReadOnlyList<WorkflowMetrics> From(IEnumerable<ExecutionRecord> executions) =>
        executions.GroupBy(e => e.Workflow, StringComparer.Ordinal)
            .Select(g =>
            {
                var all = g.OrderBy(e => e.StartedAt).ToList();
                var finished = all.Where(e => e.FinishedAt is not null && e.Status is "succeeded" or "failed" or "cancelled").ToList();
                var durations = finished.Select(e => e.FinishedAt!.Value - e.StartedAt).ToList();
                return new WorkflowMetrics(g.Key, finished.Count,
                    finished.Count(e => e.Status == "succeeded"), finished.Count(e => e.Status == "failed"), finished.Count(e => e.Status == "cancelled"),
                    durations.Count == 0 ? TimeSpan.Zero : TimeSpan.FromTicks((long)durations.Average(d => d.Ticks)),
                    TaskMetrics.Percentile(durations, 0.95), all[^1].StartedAt, all[^1].Status);
            })
            .OrderBy(m => m.Workflow, StringComparer.Ordinal)
            .ToList();
}
