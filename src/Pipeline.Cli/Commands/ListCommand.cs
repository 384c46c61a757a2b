using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Loading;
using Pipeline.Core.Model;
using Pipeline.Core.Scheduling;
using Pipeline.Core.Validation;
using Pipeline.Engine.Running;
using Pipeline.State;

namespace Pipeline.Cli.Commands;

/// <summary><c>workflow list</c> (alias <c>ls</c>): every workflow found, what starts it, and how its recorded runs went.</summary>
public static class ListCommand
{
    /// <summary>One row of the list.</summary>
    public sealed record Row(string File, string Kind, string? Name, string? Version, string? Category, string Triggers, DateTimeOffset? NextFire,
        int Tasks, int Errors, WorkflowMetrics? Metrics);

    public static Command Create()
    {
        var paths = new Argument<string[]>("path") { Description = "Workflow files or directories (default: those `workflow validate` finds here)", Arity = ArgumentArity.ZeroOrMore };
        var stateDir = new Option<string>("--state-dir") { Description = "Where runs are recorded (default: the repository's .workflow)", DefaultValueFactory = _ => RepositoryRoot.DefaultStateDirectory() };
        var command = new Command("list", """
            Every workflow found (the files `workflow validate` finds, or those under the paths given):
            its name, version and category, what starts it (with a schedule's next fire time), how many
            tasks it has, and from the recorded runs: the last run's status and time, how many runs,
            the success rate, and the average and p95 duration. Files with errors are listed as invalid.

            Examples:
              workflow list
              workflow ls workflows/ --format json

            Exit codes: 0 listed (even when some files are invalid), 2 a path that does not exist, 3 the store cannot be read.
            """)
        {
            paths, stateDir,
        };
        command.Aliases.Add("ls");
        command.SetAction(parse =>
        {
            var (files, missing) = FileDiscovery.Find(parse.GetValue(paths) ?? []);
            foreach (var m in missing) Console.Error.WriteLine($"workflow: {m}: no such file or directory");
            if (missing.Count > 0) return ExitCodes.InvalidInput;
            var metrics = Metrics(parse.GetValue(stateDir)!);
            var rows = files.Select(f => Describe(f, metrics)).ToList();
            if (parse.GetValue(GlobalOptions.Format) == OutputFormat.Json)
            {
                Console.Out.WriteLine(Pipeline.Engine.Json.PipelineJson.Serialize(rows.Select(Json).ToList(), indented: true));
                return ExitCodes.Success;
            }
            if (rows.Count == 0)
            {
                Console.Out.WriteLine("No workflow files here (looked for workflows/**/*.workflow.json (or .yml), *.workflow.json (or .yml), workflow.yml and Taskfile.yml).");
                return ExitCodes.Success;
            }
            StateText.Table(Console.Out, ["NAME", "VERSION", "TRIGGER", "TASKS", "LAST RUN (UTC)", "RUNS", "SUCCESS", "AVG", "P95", "FILE"],
                rows.Select(r => new[]
                {
                    r.Name ?? "(invalid)", r.Version ?? "", r.Errors > 0 ? $"{r.Errors} error(s): workflow validate {r.File}" : r.Triggers + (r.NextFire is { } n ? $" (next {StateText.Time(n)})" : ""),
                    r.Errors > 0 ? "" : r.Tasks.ToString(CultureInfo.InvariantCulture),
                    r.Metrics is { } m ? $"{m.LastStatus} {StateText.Time(m.LastRun)}" : "never",
                    r.Metrics?.Runs.ToString(CultureInfo.InvariantCulture) ?? "0",
                    r.Metrics is { Runs: > 0 } s ? (s.SuccessRate * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : "",
                    r.Metrics is { Runs: > 0 } a ? DurationText.Format(a.Average) : "",
                    r.Metrics is { Runs: > 0 } p ? DurationText.Format(p.P95) : "",
                    r.File,
                }));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Per workflow, from the store when one is there (an absent store is no history, not an error).</summary>
    private static Dictionary<string, WorkflowMetrics> Metrics(string stateDirectory)
    {
        if (StateStores.NothingRecorded(stateDirectory)) return new(StringComparer.Ordinal);
        using var store = StateStores.Open(stateDirectory);
        return WorkflowMetrics.From(store.History(new HistoryQuery { Limit = int.MaxValue })).ToDictionary(m => m.Workflow, StringComparer.Ordinal);
    }

    public static Row Describe(string file, IReadOnlyDictionary<string, WorkflowMetrics> metrics)
    {
        var read = WorkflowLoader.Load(file);
        var kind = WorkflowFiles.KindOf(file) == WorkflowFileKind.Taskfile ? "taskfile" : "workflow";
        var errors = WorkflowValidator.Validate(read).Count(d => d.Severity == Severity.Error);
        if (read.Workflow is not { } w) return new Row(file, kind, null, null, null, "", null, 0, Math.Max(1, errors), null);
        var (triggers, next) = Triggers(w);
        return new Row(file, kind, w.Name.Value, w.Version?.Value, w.Category?.Value, triggers, next,
            w.Tasks.Count(t => t.Owner is null), errors, metrics.GetValueOrDefault(w.Name.Value));
    }

    /// <summary>What starts the workflow, in a few words, and the next time a schedule fires.</summary>
    public static (string Summary, DateTimeOffset? Next) Triggers(WorkflowDefinition w)
    {
        DateTimeOffset? next = null;
        var parts = new List<string>();
        foreach (var t in w.Triggers)
        {
            switch (t)
            {
                case ScheduleTrigger s:
                    parts.Add($"schedule {s.Schedule.Value}");
                    if (CronSchedule.TryParse(s.Schedule.Value, out _) is { } cron)
                    {
                        var zone = ScheduleCommand.Zone(s.Timezone?.Value);
                        if (CronSchedule.Next(cron, DateTimeOffset.UtcNow, zone, 1) is [var at] && (next is null || at < next)) next = at;
                    }
                    break;
                case WebhookTrigger h: parts.Add($"webhook {h.Path?.Value ?? h.Url?.Value ?? "/hooks/" + w.Name.Value}"); break;
                case FileChangeTrigger f: parts.Add($"file_change {string.Join(" ", f.Paths.Select(p => p.Value))}"); break;
                default: parts.Add("manual"); break;
            }
        }
        return (parts.Count == 0 ? "manual" : string.Join("; ", parts), next);
    }

    private static Dictionary<string, object?> Json(Row r) => new()
    {
        ["file"] = r.File,
        ["kind"] = r.Kind,
        ["name"] = r.Name,
        ["version"] = r.Version,
        ["category"] = r.Category,
        ["valid"] = r.Errors == 0,
        ["errors"] = r.Errors,
        ["triggers"] = r.Triggers,
        ["next_fire"] = r.NextFire?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        ["tasks"] = r.Tasks,
        ["runs"] = r.Metrics?.Runs ?? 0,
        ["successes"] = r.Metrics?.Successes ?? 0,
        ["failures"] = r.Metrics?.Failures ?? 0,
        ["success_rate"] = r.Metrics is { Runs: > 0 } m ? Math.Round(m.SuccessRate, 4) : null,
        ["average_seconds"] = r.Metrics is { Runs: > 0 } a ? Math.Round(a.Average.TotalSeconds, 3) : null,
        ["p95_seconds"] = r.Metrics is { Runs: > 0 } p ? Math.Round(p.P95.TotalSeconds, 3) : null,
        ["last_status"] = r.Metrics?.LastStatus,
        ["last_run"] = r.Metrics?.LastRun.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
    };
}
