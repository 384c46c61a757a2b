using System.CommandLine;
using Pipeline.Engine.Running;
using Pipeline.State;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Pipeline.Cli.Commands;

/// <summary><c>workflow monitor</c>: a live dashboard of running executions, recent history and per-task trends.</summary>
public static class MonitorCommand
{
    private const string Bars = "▁▂▃▄▅▆▇█";

    /// <summary><c>workflow ps</c>: the dashboard once (what <c>monitor --once</c> prints).</summary>
    public static Command CreatePs()
    {
        var stateDir = new Option<string>("--state-dir") { Description = "Where runs are recorded (default: the repository's .workflow)", DefaultValueFactory = _ => RepositoryRoot.DefaultStateDirectory() };
        var command = new Command("ps", """
            The monitor's dashboard once: executions running now, the latest ones, and per task its
            success rate and durations (the same as workflow monitor --once).

            Examples:
              workflow ps
              workflow ps --state-dir /var/lib/pipeline

            Exit codes: 0 printed, 2 no state database, 3 the store cannot be used.
            """)
        {
            stateDir,
        };
        command.SetAction(parse =>
        {
            using var store = StateStores.OpenForReading(parse.GetValue(stateDir)!, Console.Error);
            if (store is null) return ExitCodes.InvalidInput;
            PrintOnce(store);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void PrintOnce(RelationalStateStore store)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        // Not a terminal: no width to fit, and Spectre's fallback of 80 columns would wrap the
        // ids. COLUMNS when set, else wide enough for every column on one line.
        if (Console.IsOutputRedirected)
            console.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 0 ? columns : 160;
        console.Write(Dashboard(store));
    }

    public static Command Create()
    {
        var stateDir = new Option<string>("--state-dir") { Description = "Where runs are recorded (default: the repository's .workflow)", DefaultValueFactory = _ => RepositoryRoot.DefaultStateDirectory() };
        var once = new Option<bool>("--once") { Description = "Print the dashboard once and exit (also what happens when the output is not a terminal)" };
        var interval = new Option<double>("--interval") { Description = "Seconds between refreshes (default 1)", DefaultValueFactory = _ => 1 };
        var command = new Command("monitor", """
            A live terminal dashboard of the state database: executions running now (with their tasks
            done so far), the latest executions, and for each task of the last 7 days its success
            rate, median and p95 duration and a trend of its latest durations. Refreshes until Ctrl-C.

            Examples:
              workflow monitor
              workflow monitor --once --state-dir /var/lib/pipeline

            Exit codes: 0 on Ctrl-C or after --once, 2 no state database, 3 the store cannot be used.
            """)
        {
            stateDir, once, interval,
        };
        command.SetAction(async (parse, _) =>
        {
            // Ctrl-C or SIGTERM ends the dashboard cleanly (cursor restored, exit 0): signals are ours (Program.cs).
            using var stop = new CancellationTokenSource();
            using var signals = new Running.SignalHandler(stop, stop, TextWriter.Null);
            var token = stop.Token;
            using var store = StateStores.OpenForReading(parse.GetValue(stateDir)!, Console.Error);
            if (store is null) return ExitCodes.InvalidInput;
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
            if (parse.GetValue(once) || Console.IsOutputRedirected || !console.Profile.Capabilities.Interactive)
            {
                PrintOnce(store);
                return ExitCodes.Success;
            }
            var delay = TimeSpan.FromSeconds(Math.Max(0.2, parse.GetValue(interval)));
            try
            {
                await console.Live(Dashboard(store)).StartAsync(async ctx =>
                {
                    while (!token.IsCancellationRequested)
                    {
                        await Task.Delay(delay, token);
                        ctx.UpdateTarget(Dashboard(store));
                    }
                });
            }
            catch (OperationCanceledException) { }
            return ExitCodes.Success;
        });
        return command;
    }

    internal static IRenderable Dashboard(IStateStore store)
    {
        var now = DateTimeOffset.UtcNow;
        var recent = store.History(new HistoryQuery { Limit = 10 });
        var running = store.History(new HistoryQuery { Status = "running", Limit = 20 }).Where(StateStores.IsAlive).ToList();

        // An execution id is copied into `workflow status`: it never wraps (other columns do).
        var runningTable = new Table().Expand().AddColumns(new TableColumn("Execution").NoWrap(), new TableColumn("Workflow"), new TableColumn("Elapsed"), new TableColumn("Tasks done"), new TableColumn("Running now"));
        foreach (var e in running)
        {
            var detail = store.Find(e.Id);
            var tasks = detail?.Tasks ?? [];
            runningTable.AddRow(Markup.Escape(e.Id), Markup.Escape(e.Workflow), DurationText.Format(now - e.StartedAt),
                $"{tasks.Count(t => t.Status != "running")}", Markup.Escape(string.Join(", ", tasks.Where(t => t.Status == "running").Select(t => t.InstanceId))));
        }
        if (running.Count == 0) runningTable.AddRow("[grey]nothing is running[/]", "", "", "", "");

        var recentTable = new Table().Expand().AddColumns(new TableColumn("Execution").NoWrap(), new TableColumn("Workflow"), new TableColumn("Status"), new TableColumn("Started (UTC)"), new TableColumn("Duration"));
        foreach (var e in recent)
            recentTable.AddRow(Markup.Escape(e.Id), Markup.Escape(e.Workflow), Colored(e.Status), StateText.Time(e.StartedAt), StateText.Duration(e.Duration));

        var samples = store.TaskSamples(null, now.AddDays(-7));
        var tasksTable = new Table().Expand().AddColumns("Workflow", "Task", "Runs", "Success", "Median", "P95", "Trend (latest 12)");
        foreach (var group in samples.GroupBy(s => (s.Workflow, s.TaskId)).OrderBy(g => g.Key.Workflow).ThenBy(g => g.Key.TaskId))
        {
            var m = TaskMetrics.From(group.ToList());
            tasksTable.AddRow(Markup.Escape(m.Workflow), Markup.Escape(m.TaskId), m.Runs.ToString(), $"{m.SuccessRate * 100:0}%",
                DurationText.Format(m.P50), DurationText.Format(m.P95), Trend(group.TakeLast(12).Select(s => s.Duration.TotalSeconds).ToList()));
        }

        return new Rows(
            new Panel(runningTable).Header("Running").Expand(),
            new Panel(recentTable).Header("Latest executions").Expand(),
            new Panel(tasksTable).Header("Tasks, last 7 days").Expand(),
            new Markup($"[grey]{Markup.Escape(StateText.Time(now))} UTC · Ctrl-C to quit · workflow health explains problems[/]"));
    }

    /// <summary>A sparkline of durations: each bar scaled between the smallest and the largest.</summary>
    public static string Trend(IReadOnlyList<double> seconds)
    {
        if (seconds.Count == 0) return "";
        double min = seconds.Min(), max = seconds.Max();
        return string.Concat(seconds.Select(s => Bars[max - min < 1e-9 ? 0 : (int)Math.Round((s - min) / (max - min) * (Bars.Length - 1))]));
    }

    private static string Colored(string status) => status switch
    {
        "succeeded" => "[green]succeeded[/]",
        "failed" => "[red]failed[/]",
        "running" => "[yellow]running[/]",
        _ => Markup.Escape(status),
    };
}
