using Pipeline.Engine.Running;
using Spectre.Console;

namespace Pipeline.Cli.Output;

/// <summary>The table printed at the end of a run: every task instance, then the verdict, critical path and report path.</summary>
public static class RunSummary
{
    public static void Write(IAnsiConsole console, RunResult run, string? reportPath, bool quiet)
    {
        if (!quiet)
        {
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn("Task").AddColumn("Status").AddColumn(new TableColumn("Attempts").RightAligned())
                .AddColumn(new TableColumn("Duration").RightAligned()).AddColumn(new TableColumn("Exit").RightAligned()).AddColumn("Detail");
            foreach (var t in run.Tasks.OrderBy(t => t.StartedAt ?? t.FinishedAt))
            {
                table.AddRow(
                    Markup.Escape(t.InstanceId),
                    Status(t),
                    t.Attempts.Count == 0 ? "" : t.Attempts.Count.ToString(),
                    t.StartedAt is null ? "" : DurationText.Format(t.Duration),
                    t.ExitCode?.ToString() ?? "",
                    Markup.Escape(Shorten(t.Error ?? t.Reason ?? "", 70)));
            }
            console.Write(table);
        }
        // Written as styled text, not markup: parsing markup loads Spectre's table of emoji names,
        // a few milliseconds of a short run that prints nothing else.
        var line = new Paragraph();
        switch (run.Status)
        {
            case RunStatus.Succeeded:
                line.Append($"✓ {run.Workflow} succeeded", new Style(Color.Green)).Append($" in {DurationText.Format(run.Duration)}");
                break;
            case RunStatus.Cancelled:
                line.Append($"■ {run.Workflow} cancelled", new Style(Color.Yellow)).Append($" after {DurationText.Format(run.Duration)}");
                break;
            default:
                line.Append($"✗ {run.Workflow} failed", new Style(Color.Red)).Append($" after {DurationText.Format(run.Duration)}: {run.Error ?? ""}");
                break;
        }
        var cached = run.Tasks.Count(t => t.State == TaskState.Cached);
        if (cached > 0) line.Append($" ({cached} of {run.Tasks.Count(t => t.Role == "dag")} tasks from the cache)", new Style(Color.Aqua));
        console.Write(line);
        console.WriteLine();
        if (!quiet && run.CriticalPathTaken.Count > 0)
            console.WriteLine($"Critical path: {string.Join(" → ", run.CriticalPathTaken)}");
        if (reportPath is not null)
        {
            var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), reportPath);
            console.WriteLine($"Report: {(relative.StartsWith("..", StringComparison.Ordinal) ? reportPath : relative)}");
        }
    }

    private static string Status(TaskResult t)
    {
        var name = Markup.Escape(t.State.Name() + (t.ContinuedOnError ? " (continued)" : ""));
        return t.State switch
        {
            TaskState.Succeeded => $"[green]{name}[/]",
            TaskState.Cached => $"[cyan]{name}[/]",
            TaskState.Failed or TaskState.TimedOut => $"[red]{name}[/]",
            TaskState.Cancelled => $"[yellow]{name}[/]",
            _ => $"[grey]{name}[/]",
        };
    }

    private static string Shorten(string s, int max)
    {
        s = s.Replace('\n', ' ');
        return s.Length <= max ? s : s[..(max - 1)] + "…";
    }
}
