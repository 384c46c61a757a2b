namespace Pipeline.State;

/// <summary>One thing `workflow health` found, with what to do about it.</summary>
public sealed record HealthFinding(string Kind, string Workflow, string TaskId, string Finding, string Recommendation);

/// <summary>
/// Reads the history for problems: tasks that fail often (above a threshold), that got slower
/// (recent median against the earlier baseline), that are flaky (succeed only after retries), and
/// that time out; each with a concrete recommendation.
/// </summary>
public static class HealthReport
{
    public sealed record Options
    {
        /// <summary>A failure rate above this is a problem.</summary>
        public double FailureThreshold { get; init; } = 0.2;

        /// <summary>A recent median this many times the baseline is a degradation.</summary>
        public double SlowdownThreshold { get; init; } = 1.5;

        /// <summary>Fewer runs than this say too little to judge a rate.</summary>
        public int MinimumRuns { get; init; } = 3;
    }

    public static IReadOnlyList<TaskMetrics> Metrics(IReadOnlyList<TaskSample> samples) =>
        samples.GroupBy(s => (s.Workflow, s.TaskId)).Select(g => TaskMetrics.From(g.ToList()))
            .OrderBy(m => m.Workflow, StringComparer.Ordinal).ThenBy(m => m.TaskId, StringComparer.Ordinal).ToList();

    public static IReadOnlyList<HealthFinding> Findings(IReadOnlyList<TaskMetrics> metrics, Options? options = null)
    {
        options ??= new Options();
        var findings = new List<HealthFinding>();
        foreach (var m in metrics)
        {
            if (m.Runs >= options.MinimumRuns && m.FailureRate > options.FailureThreshold)
            {
                var advice = m.TimedOut * 2 >= m.Failures
                    ? $"most failures are timeouts: raise its timeout above its p95 of {Text(m.P95)}, or make it faster"
                    : m.SucceededAfterRetry > 0
                        ? "it sometimes passes on a retry: raise retry.attempts while the cause is found"
                        : $"add a retry (retry.attempts) if the failures are transient; the last error: {m.LastError ?? "unknown"}";
                findings.Add(new HealthFinding("failing", m.Workflow, m.TaskId, $"fails {m.FailureRate * 100:0}% of its runs ({m.Failures} of {m.Runs})", advice));
            }
            if (m.SucceededAfterRetry > 0 && m.Runs >= options.MinimumRuns)
                findings.Add(new HealthFinding("flaky", m.Workflow, m.TaskId, $"succeeded only after a retry in {m.SucceededAfterRetry} of {m.Runs} runs",
                    "keep its retry, and look for the cause: a race, a network call, a shared resource"));
            if (m.Slowdown is { } slowdown && slowdown >= options.SlowdownThreshold)
                findings.Add(new HealthFinding("slower", m.Workflow, m.TaskId, $"its median went from {Text(m.BaselineP50!.Value)} to {Text(m.RecentP50!.Value)} ({slowdown:0.0}x) in its latest runs",
                    "compare a recent run's log with an earlier one (workflow status shows both); if it is doing more work now, split it so parts run in parallel"));
        }
        return findings;
    }

    private static string Text(TimeSpan d) => Pipeline.Engine.Running.DurationText.Format(d);
}
