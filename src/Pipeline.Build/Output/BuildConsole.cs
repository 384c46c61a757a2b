using Pipeline.Engine.Events;
using Pipeline.Engine.Running;

namespace Pipeline.Build;

/// <summary>
/// The build's console: a line when a target starts and when it ends, its output prefixed with its
/// name (targets run in parallel, so lines are interleaved but never mixed), and the summary table.
/// Plain lines: readable in a terminal and in CI logs alike.
/// </summary>
internal sealed class BuildConsole(TextWriter output, IReadOnlySet<string> skippedInAdvance) : IRunObserver
{
    private readonly object _gate = new();

    /// <summary>Nodes whose skip was decided before the run (their start is not announced).</summary>
    public IReadOnlySet<string> SkippedInAdvance { get; set; } = skippedInAdvance;

    /// <summary>One line, whole, between the other lines (for Taskfile runs, which print through here).</summary>
    public void Line(string text)
    {
        lock (_gate)
        {
            output.WriteLine(text);
            output.Flush();
        }
    }

    public void OnEvent(RunEvent e)
    {
        lock (_gate)
        {
            switch (e)
            {
                case TaskStarted s when s.Role == "dag" && !SkippedInAdvance.Contains(s.TaskId):
                    output.WriteLine(s.Attempt > 1 ? $"▶ {s.TaskId} (attempt {s.Attempt})" : $"▶ {s.TaskId}");
                    break;
                case TaskOutput o:
                    output.WriteLine($"  {o.InstanceId} │ {o.Line}");
                    break;
                case TaskRetrying retry:
                    output.WriteLine($"  {retry.InstanceId} failed ({retry.Failed.Error}); retrying in {DurationText.Format(retry.Delay)}");
                    break;
                case TaskFinished f when f.Result.Role == "dag":
                    var r = f.Result;
                    var note = r.Error ?? r.Reason;
                    var took = r.StartedAt is null || r.State == TaskState.Skipped ? "" : " in " + DurationText.Format(r.Duration);
                    output.WriteLine($"{Mark(r.State)} {r.TaskId} {r.State.Name()}{took}{(note is null ? "" : ": " + note)}");
                    break;
            }
            output.Flush();
        }
    }

    public void Summary(RunResult result, IReadOnlyList<string> order)
    {
        var rows = order.Select(id => result.Tasks.LastOrDefault(t => t.TaskId == id && t.Role == "dag")).Where(t => t is not null).Select(t => t!).ToList();
        var width = Math.Max(6, rows.Select(r => r.TaskId.Length).DefaultIfEmpty(0).Max());
        var rule = new string('═', width + 36);
        lock (_gate)
        {
            output.WriteLine();
            output.WriteLine(rule);
            output.WriteLine($"{"Target".PadRight(width)}  {"Status",-10}  {"Duration",8}  Note");
            output.WriteLine(new string('─', width + 36));
            foreach (var r in rows)
            {
                var note = r.Error ?? r.Reason ?? "";
                output.WriteLine($"{r.TaskId.PadRight(width)}  {r.State.Name(),-10}  {(r.StartedAt is null || r.State == TaskState.Skipped ? "–" : DurationText.Format(r.Duration)),8}  {note}");
            }
            output.WriteLine(rule);
            output.WriteLine(result.Status switch
            {
                RunStatus.Succeeded => $"Build succeeded in {DurationText.Format(result.FinishedAt - result.StartedAt)}.",
                RunStatus.Cancelled => "Build cancelled.",
                _ => $"Build failed: {result.Error}",
            });
            output.Flush();
        }
    }

    private static string Mark(TaskState state) => state switch
    {
        TaskState.Succeeded => "✓",
        TaskState.Cached => "↺",
        TaskState.Skipped => "-",
        TaskState.Cancelled => "■",
        _ => "✗",
    };
}
