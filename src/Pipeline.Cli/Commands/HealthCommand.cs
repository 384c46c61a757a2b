using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Pipeline.Engine.Running;
using Pipeline.State;

namespace Pipeline.Cli.Commands;

/// <summary><c>workflow health [workflow]</c>: per-task metrics from the history, and what looks wrong.</summary>
public static class HealthCommand
{
    public static Command Create()
    {
        var workflow = new Argument<string?>("workflow") { Description = "Only this workflow (its name)", Arity = ArgumentArity.ZeroOrOne };
        workflow.CompletionSources.Add(Completions.Workflows);
        var since = new Option<string>("--since") { Description = "Look at runs started since: 7d, 24h, or a date (default 30d)", DefaultValueFactory = _ => "30d" };
        var threshold = new Option<double>("--failure-threshold") { Description = "A task failing more often than this share of its runs is reported (default 0.2)", DefaultValueFactory = _ => 0.2 };
        var stateDir = new Option<string>("--state-dir") { Description = "Where runs are recorded (default: the repository's .workflow)", DefaultValueFactory = _ => RepositoryRoot.DefaultStateDirectory() };
        var command = new Command("health", """
            Per task, from the recorded runs: runs, success rate, average and p95 duration, last run
            and last failure. Then the problems: tasks that fail more often than the threshold, tasks
            that succeed only after retries (flaky), tasks whose recent median got slower than their
            earlier baseline (1.5x or more); each with a recommendation.

            Examples:
              workflow health
              workflow health deploy --since 7d --failure-threshold 0.1 --format json

            Exit codes: 0 reported (problems or not), 2 no state database or bad arguments, 3 the store cannot be used.
            """)
        {
            workflow, since, threshold, stateDir,
        };
        command.SetAction(parse =>
        {
            var error = Console.Error;
            if (HistoryCommand.ParseSince(parse.GetValue(since)!, DateTimeOffset.UtcNow) is not { } from)
            {
                error.WriteLine($"workflow: --since \"{parse.GetValue(since)}\" is neither a duration (7d, 24h) nor a date");
                return ExitCodes.InvalidInput;
            }
            if (parse.GetValue(threshold) is < 0 or > 1)
            {
                error.WriteLine("workflow: --failure-threshold is a share between 0 and 1, such as 0.2");
                return ExitCodes.InvalidInput;
            }
            using var store = StateStores.OpenForReading(parse.GetValue(stateDir)!, error);
            if (store is null) return ExitCodes.InvalidInput;
            var metrics = HealthReport.Metrics(store.TaskSamples(parse.GetValue(workflow), from));
            var overall = WorkflowMetrics.From(store.History(new HistoryQuery { Workflow = parse.GetValue(workflow), Since = from, Limit = int.MaxValue }));
            var findings = HealthReport.Findings(metrics, new HealthReport.Options { FailureThreshold = parse.GetValue(threshold) });
            if (parse.GetValue(GlobalOptions.Format) == OutputFormat.Json)
            {
                Console.Out.WriteLine(Pipeline.Engine.Json.PipelineJson.Serialize(new Dictionary<string, object?>
                {
                    ["since"] = from.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                    ["workflows"] = overall.Select(m => new Dictionary<string, object?>
                    {
                        ["workflow"] = m.Workflow, ["runs"] = m.Runs, ["successes"] = m.Successes, ["failures"] = m.Failures, ["cancelled"] = m.Cancelled,
                        ["success_rate"] = m.Runs == 0 ? null : Math.Round(m.SuccessRate, 4),
                        ["average_seconds"] = Math.Round(m.Average.TotalSeconds, 3), ["p95_seconds"] = Math.Round(m.P95.TotalSeconds, 3),
                        ["last_run"] = m.LastRun.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), ["last_status"] = m.LastStatus,
                    }).ToList(),
                    ["tasks"] = metrics.Select(m => new Dictionary<string, object?>
                    {
                        ["workflow"] = m.Workflow, ["task"] = m.TaskId, ["runs"] = m.Runs, ["successes"] = m.Successes, ["failures"] = m.Failures,
                        ["success_rate"] = Math.Round(m.SuccessRate, 4), ["succeeded_after_retry"] = m.SucceededAfterRetry, ["timed_out"] = m.TimedOut,
                        ["average_seconds"] = Math.Round(m.Average.TotalSeconds, 3), ["p50_seconds"] = Math.Round(m.P50.TotalSeconds, 3), ["p95_seconds"] = Math.Round(m.P95.TotalSeconds, 3),
                        ["last_run"] = m.LastRun.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                        ["last_failure"] = m.LastFailure?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                        ["slowdown"] = m.Slowdown is { } s ? Math.Round(s, 2) : null,
                    }).ToList(),
                    ["findings"] = findings.Select(f => new Dictionary<string, string>
                    {
                        ["kind"] = f.Kind, ["workflow"] = f.Workflow, ["task"] = f.TaskId, ["finding"] = f.Finding, ["recommendation"] = f.Recommendation,
                    }).ToList(),
                }, indented: true));
                return ExitCodes.Success;
            }
            if (metrics.Count == 0)
            {
                Console.Out.WriteLine($"No task runs recorded since {StateText.Time(from)} UTC.");
                return ExitCodes.Success;
            }
            HistoryCommand.WriteMetrics(Console.Out, overall);
            Console.Out.WriteLine();
            StateText.Table(Console.Out, ["WORKFLOW", "TASK", "RUNS", "SUCCESS", "AVG", "P95", "LAST RUN (UTC)", "LAST FAILURE (UTC)"],
                metrics.Select(m => new[]
                {
                    m.Workflow, m.TaskId, m.Runs.ToString(CultureInfo.InvariantCulture), (m.SuccessRate * 100).ToString("0", CultureInfo.InvariantCulture) + "%",
                    DurationText.Format(m.Average), DurationText.Format(m.P95), StateText.Time(m.LastRun), m.LastFailure is { } f ? StateText.Time(f) : "",
                }));
            Console.Out.WriteLine();
            // Findings need a few runs to mean anything: say which tasks were not judged, not "no problems".
            var minimum = new HealthReport.Options().MinimumRuns;
            var unjudged = metrics.Count(m => m.Runs < minimum);
            if (findings.Count == 0)
                Console.Out.WriteLine(unjudged == 0
                    ? $"No problems found (tasks are judged after {minimum} runs)."
                    : unjudged == metrics.Count
                        ? $"Not judged yet: every task has fewer than {minimum} runs, the fewest a finding needs."
                        : $"No problems found in the tasks with {minimum} or more runs; {unjudged} task(s) with fewer are not judged yet.");
            foreach (var f in findings)
            {
                Console.Out.WriteLine($"{f.Kind}: {f.Workflow}/{f.TaskId} {f.Finding}");
                Console.Out.WriteLine($"    recommendation: {f.Recommendation}");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
