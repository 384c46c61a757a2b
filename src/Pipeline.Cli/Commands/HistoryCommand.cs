using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Pipeline.Cli.Output;
using Pipeline.Engine.Running;
using Pipeline.State;

namespace Pipeline.Cli.Commands;

/// <summary><c>workflow history [workflow]</c>: recorded executions, newest first.</summary>
public static class HistoryCommand
{
    public static Command Create()
    {
        var workflow = new Argument<string?>("workflow") { Description = "Only this workflow's executions (its name)", Arity = ArgumentArity.ZeroOrOne };
        workflow.CompletionSources.Add(Completions.Workflows);
        var limit = new Option<int>("--limit", "-n") { Description = "How many executions to show", DefaultValueFactory = _ => 20 };
        var status = new Option<string?>("--status") { Description = "Only executions that ended so: succeeded, failed, cancelled, or running (still running, or interrupted)" };
        status.AcceptOnlyFromAmong("succeeded", "failed", "cancelled", "running");
        var since = new Option<string?>("--since") { Description = "Only executions started since: a duration back from now (30m, 24h, 7d, 2w) or a date (2026-11-01)" };
        var stateDir = new Option<string>("--state-dir") { Description = "Where runs are recorded (default: the repository's .workflow)", DefaultValueFactory = _ => RepositoryRoot.DefaultStateDirectory() };
        var command = new Command("history", """
            List recorded executions, newest first: id, workflow, status, start, duration and error.
            An execution still "running" whose process is gone was interrupted.

            Examples:
              workflow history                     the last 20 executions
              workflow history deploy --status failed --since 7d
              workflow history --format json | jq '.[0].id'

            Exit codes: 0 listed (a workflow that never ran lists nothing, with a hint on stderr),
            2 no state database or bad arguments, 3 the state store cannot be used.
            """)
        {
            workflow, limit, status, since, stateDir,
        };
        command.SetAction(parse =>
        {
            var error = Console.Error;
            if (parse.GetValue(limit) < 1)
            {
                error.WriteLine("workflow: --limit must be at least 1");
                return ExitCodes.InvalidInput;
            }
            DateTimeOffset? from = null;
            if (parse.GetValue(since) is { } text)
            {
                from = ParseSince(text, DateTimeOffset.UtcNow);
                if (from is null)
                {
                    error.WriteLine($"workflow: --since \"{text}\" is neither a duration (30m, 24h, 7d, 2w) nor a date (2026-11-01)");
                    return ExitCodes.InvalidInput;
                }
            }
            using var store = StateStores.OpenForReading(parse.GetValue(stateDir)!, error);
            if (store is null) return ExitCodes.InvalidInput;
            var rows = store.History(new HistoryQuery { Workflow = parse.GetValue(workflow), Status = parse.GetValue(status), Since = from, Limit = parse.GetValue(limit) });
            if (rows.Count == 0 && parse.GetValue(workflow) is { } name) NeverRan(store, name, error);
            if (parse.GetValue(GlobalOptions.Format) == OutputFormat.Json)
            {
                Console.Out.WriteLine(StateJson.Write(rows));
                return ExitCodes.Success;
            }
            if (rows.Count == 0)
            {
                Console.Out.WriteLine("No executions match.");
                return ExitCodes.Success;
            }
            StateText.Table(Console.Out, ["ID", "WORKFLOW", "STATUS", "STARTED (UTC)", "DURATION", "ERROR"],
                rows.Select(r => new[] { r.Id, r.Workflow, r.Status, StateText.Time(r.StartedAt), StateText.Duration(r.Duration), StateText.Short(r.Error, 60) }));
            // Per workflow, over every run the filters match (not only the --limit shown).
            var all = store.History(new HistoryQuery { Workflow = parse.GetValue(workflow), Status = parse.GetValue(status), Since = from, Limit = int.MaxValue });
            Console.Out.WriteLine();
            WriteMetrics(Console.Out, WorkflowMetrics.From(all));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Per workflow: runs, successes, failures, success rate, average and p95 duration (seed §8.1).</summary>
    internal static void WriteMetrics(TextWriter o, IReadOnlyList<WorkflowMetrics> metrics) =>
        StateText.Table(o, ["WORKFLOW", "RUNS", "SUCCEEDED", "FAILED", "SUCCESS", "AVG", "P95"],
            metrics.Select(m => new[]
            {
                m.Workflow, m.Runs.ToString(CultureInfo.InvariantCulture), m.Successes.ToString(CultureInfo.InvariantCulture), m.Failures.ToString(CultureInfo.InvariantCulture),
                m.Runs == 0 ? "" : (m.SuccessRate * 100).ToString("0", CultureInfo.InvariantCulture) + "%",
                m.Runs == 0 ? "" : DurationText.Format(m.Average), m.Runs == 0 ? "" : DurationText.Format(m.P95),
            }));

    /// <summary>
    /// A workflow name the store has never seen is most likely a typo: say so on stderr, with the
    /// closest known name. The exit code stays 0 (an empty history is an answer, and scripts that
    /// ask before the first run must not fail).
    /// </summary>
    private static void NeverRan(IStateStore store, string name, TextWriter error)
    {
        var known = store.Workflows().Select(w => w.Name).ToList();
        if (known.Contains(name, StringComparer.Ordinal)) return;
        error.WriteLine($"workflow: '{name}' has never run here");
        error.WriteLine(Pipeline.Core.Suggest.Closest(name, known) is { } close
            ? $"    hint: did you mean '{close}'?"
            : known.Count == 0 ? "    hint: no workflow has run here yet" : $"    hint: workflows that have run: {string.Join(", ", known)}");
    }

    /// <summary>"30m", "24h", "7d", "2w" back from <paramref name="now"/>, or a date / date-time (UTC unless it says otherwise).</summary>
    internal static DateTimeOffset? ParseSince(string text, DateTimeOffset now)
    {
        text = text.Trim();
        if (text.Length >= 2 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0)
        {
            TimeSpan? span = char.ToLowerInvariant(text[^1]) switch
            {
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                'w' => TimeSpan.FromDays(7 * n),
                _ => null,
            };
            if (span is { } s) return now - s;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : null;
    }
}
