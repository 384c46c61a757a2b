using System.Globalization;
using Pipeline.Core.Model;
using Pipeline.Engine.Running;
using Pipeline.State;

namespace Pipeline.Notifications.Alerts;

/// <summary>
/// The alert rules (seed §9.2), each judged from the recorded history once a run is stored:
/// <list type="bullet">
/// <item><c>failed</c>: the run failed;</item>
/// <item><c>failure_rate</c>: at least <c>threshold</c> of the runs finished in the <c>window</c> failed (from <c>min_runs</c> runs on);</item>
/// <item><c>duration</c>: the run took more than <c>factor</c> × the p95 of the earlier successful runs (from <c>min_runs</c> of them on);</item>
/// <item><c>task_failures</c>: a task failed or timed out in each of its last <c>in_a_row</c> runs (one rule per task: <c>task_failures:&lt;id&gt;</c>).</item>
/// </list>
/// Each verdict says whether the rule fires now and why, in words for the message.
/// </summary>
internal static class AlertRules
{
    public sealed record Verdict(string Rule, bool Firing, string Detail);

    public static IReadOnlyList<Verdict> Judge(AlertSettings rules, WorkflowDefinition workflow, RunResult run, IStateStore store, DateTimeOffset now)
    {
        var verdicts = new List<Verdict>();
        var name = workflow.Name.Value;
        if (rules.Failed)
            verdicts.Add(new Verdict("failed", run.Status != RunStatus.Succeeded,
                run.Status == RunStatus.Succeeded ? "the last run succeeded" : $"run {run.ExecutionId} {run.Status.ToString().ToLowerInvariant()}: {run.Error}"));

        if (rules.FailureRate)
        {
            var window = TimeSpan.FromSeconds(rules.FailureRateWindowSeconds);
            var finished = store.History(new HistoryQuery { Workflow = name, Since = now - window, Limit = 100_000 })
                .Where(e => e.Status != "running").ToList();
            var failed = finished.Count(e => e.Status != "succeeded");
            var rate = finished.Count == 0 ? 0 : (double)failed / finished.Count;
            var firing = finished.Count >= rules.FailureRateMinRuns && rate >= rules.FailureRateThreshold;
            verdicts.Add(new Verdict("failure_rate", firing,
                $"{failed} of {finished.Count} runs failed in the last {Engine.Running.DurationText.Format(window)} ({Percent(rate)}; the threshold is {Percent(rules.FailureRateThreshold)})"));
        }

        if (rules.Duration && run.Status == RunStatus.Succeeded)
        {
            var earlier = store.History(new HistoryQuery { Workflow = name, Status = "succeeded", Limit = 1000 })
                .Where(e => e.Id != run.ExecutionId && e.FinishedAt is not null)
                .Select(e => (e.FinishedAt!.Value - e.StartedAt).TotalSeconds).Order().ToList();
            if (earlier.Count >= rules.DurationMinRuns)
            {
                var p95 = earlier[Math.Min(earlier.Count - 1, (int)Math.Ceiling(0.95 * earlier.Count) - 1)];
                var limit = p95 * rules.DurationFactor;
                var took = run.Duration.TotalSeconds;
                verdicts.Add(new Verdict("duration", took > limit,
                    $"run {run.ExecutionId} took {Text(took)}; {(took > limit ? "more" : "no more")} than {rules.DurationFactor.ToString(CultureInfo.InvariantCulture)} × the p95 of {earlier.Count} successful runs ({Text(p95)})"));
            }
        }

        if (rules.TaskFailures)
        {
            var n = rules.TaskFailuresInARow;
            // The tasks of this run, each judged on its recorded runs of the last 90 days.
            var ran = run.Tasks.Select(t => t.TaskId).ToHashSet(StringComparer.Ordinal);
            foreach (var task in store.TaskSamples(name, now.AddDays(-90)).Where(s => ran.Contains(s.TaskId)).GroupBy(s => s.TaskId))
            {
                var last = task.OrderBy(s => s.StartedAt).TakeLast(n).ToList();
                var firing = last.Count == n && last.All(s => s.Status is "failed" or "timed_out");
                verdicts.Add(new Verdict($"task_failures:{task.Key}", firing,
                    firing ? $"task {task.Key} failed in each of its last {n} runs (last: {last[^1].Error})" : $"task {task.Key} {last[^1].Status} in its last run"));
            }
        }
        return verdicts;
    }

    private static string Percent(double value) => (value * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private static string Text(double seconds) => Engine.Running.DurationText.Format(TimeSpan.FromSeconds(seconds));
}
