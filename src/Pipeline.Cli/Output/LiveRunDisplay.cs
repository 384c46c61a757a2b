using Pipeline.Engine.Events;
using Pipeline.Engine.Running;
using Spectre.Console;

namespace Pipeline.Cli.Output;

/// <summary>
/// The interactive terminal view: a progress bar for the run, one line per running task with its
/// elapsed time (hidden when it ends), and a line above them for each task that finished. Used
/// only when stdout is a terminal and neither --quiet nor --format json is given.
/// </summary>
public sealed class LiveRunDisplay(IAnsiConsole console, ProgressContext progress, bool verbose) : IRunObserver
{
    private readonly Dictionary<string, ProgressTask> _running = new(StringComparer.Ordinal);
    private ProgressTask? _overall;

    public static Progress CreateProgress(IAnsiConsole console) => console.Progress()
        .AutoClear(true)
        .HideCompleted(true)
        .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn());

    public void OnEvent(RunEvent e)
    {
        switch (e)
        {
            case RunStarted s:
                _overall = progress.AddTask($"[bold]{Markup.Escape(s.Plan.Workflow.Name.Value)}[/]", maxValue: Math.Max(1, s.Plan.Graph.Nodes.Count));
                break;
            case TaskStarted t:
                if (_running.Remove(t.InstanceId, out var previous)) previous.StopTask();
                var label = t.Attempt == 1 ? t.InstanceId : $"{t.InstanceId} (attempt {t.Attempt})";
                var task = progress.AddTask("  " + Markup.Escape(label));
                task.IsIndeterminate = true;
                _running[t.InstanceId] = task;
                break;
            case TaskOutput o when o.Live || verbose:
                console.MarkupLine($"[grey][[{Markup.Escape(o.InstanceId)}]][/] {Markup.Escape(o.Line)}");
                break;
            case TaskRetrying r:
                console.MarkupLine($"[yellow]↻ {Markup.Escape(r.InstanceId)}[/]: attempt {r.Failed.Number} {r.Failed.State.Name()}: {Markup.Escape(r.Failed.Error ?? "")}; retrying in {DurationText.Format(r.Delay)}");
                break;
            case TaskFinished f:
                Finished(f.Result);
                break;
            case RunFinished:
                foreach (var t in _running.Values) t.StopTask();
                _overall?.StopTask();
                break;
        }
    }

    private void Finished(TaskResult r)
    {
        if (_running.Remove(r.InstanceId, out var task)) task.StopTask();
        if (r.Role == "dag") _overall?.Increment(1);
        var id = Markup.Escape(r.InstanceId);
        var line = r.State switch
        {
            TaskState.Succeeded => $"[green]✓[/] {id} [grey]{DurationText.Format(r.Duration)}[/]",
            TaskState.Skipped => $"[grey]– {id} skipped: {Markup.Escape(r.Reason ?? "")}[/]",
            TaskState.Cached => $"[green]↺[/] {id} [grey]cached: {Markup.Escape(r.Reason ?? "")}[/]",
            TaskState.Cancelled => $"[yellow]■ {id} cancelled[/]",
            _ => $"[red]✗ {id} {r.State.Name()}[/] after {DurationText.Format(r.Duration)}: {Markup.Escape(r.Error ?? "")}",
        };
        console.MarkupLine(line);
        if (r.State.IsFailure() && !verbose)
            foreach (var tail in FailureTail.Lines(r))
                console.MarkupLine($"    [grey]{Markup.Escape(tail)}[/]");
    }
}
