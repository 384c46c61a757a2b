namespace Pipeline.State;

/// <summary>What the history says about one task of one workflow.</summary>
public sealed record TaskMetrics(
    string Workflow,
    string TaskId,
    int Runs,
    int Successes,
    int Failures,
    int SucceededAfterRetry,
    int TimedOut,
    TimeSpan Average,
    TimeSpan P50,
    TimeSpan P95,
    DateTimeOffset LastRun,
    DateTimeOffset? LastFailure,
    string? LastError,
    /// <summary>Median duration of the earlier runs and of the latest ones, when there are enough of both.</summary>
    TimeSpan? BaselineP50,
    TimeSpan? RecentP50)
{
    public double SuccessRate => Runs == 0 ? 0 : (double)Successes / Runs;
    public double FailureRate => Runs == 0 ? 0 : (double)Failures / Runs;

    /// <summary>How much slower the latest runs are than the earlier ones (1.0: the same).</summary>
    public double? Slowdown => BaselineP50 is { TotalMilliseconds: > 0 } b && RecentP50 is { } r ? r / b : null;

    /// <summary>
    /// From the samples of one task, oldest first. The latest <paramref name="recent"/> runs are
    /// compared with the ones before them when each side has at least that many.
    /// </summary>
    public static TaskMetrics From(IReadOnlyList<TaskSample> samples, int recent = 5)
    {
        var durations = samples.Select(s => s.Duration).ToList();
        var failed = samples.Where(s => s.Status is "failed" or "timed_out").ToList();
        TimeSpan? baseline = null, latest = null;
        if (samples.Count >= 2 * recent)
        {
            var successful = samples.Where(s => s.Status == "succeeded").Select(s => s.Duration).ToList();
            if (successful.Count >= 2 * recent)
            {
                latest = Percentile(successful.TakeLast(recent).ToList(), 0.5);
                baseline = Percentile(successful.SkipLast(recent).ToList(), 0.5);
            }
        }
        return new TaskMetrics(
            samples[0].Workflow, samples[0].TaskId, samples.Count,
            samples.Count(s => s.Status == "succeeded"), failed.Count,
            samples.Count(s => s.Status == "succeeded" && s.Attempts > 1),
            samples.Count(s => s.Status == "timed_out"),
            TimeSpan.FromTicks((long)durations.Average(d => d.Ticks)),
            Percentile(durations, 0.5), Percentile(durations, 0.95),
            samples[^1].StartedAt, failed.LastOrDefault()?.StartedAt, failed.LastOrDefault()?.Error,
            baseline, latest);
    }

    /// <summary>Nearest-rank percentile.</summary>
    public static TimeSpan Percentile(IReadOnlyList<TimeSpan> values, double p)
    {
        if (values.Count == 0) return TimeSpan.Zero;
        var sorted = values.OrderBy(v => v).ToList();
        var rank = (int)Math.Ceiling(p * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }
}
