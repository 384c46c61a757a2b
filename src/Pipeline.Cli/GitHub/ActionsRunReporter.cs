using System.Globalization;
using System.Text;
using Pipeline.Cli.Output;
using Pipeline.Core.Model;
using Pipeline.Engine.Events;
using Pipeline.Engine.Running;

namespace Pipeline.Cli.GitHub;

/// <summary>
/// A run on GitHub Actions: each task's output folded in a <c>::group::</c> when the task ends (so
/// parallel tasks do not interleave), an <c>::error</c> annotation at each failed task's line in the
/// workflow file, the run's report appended to <c>$GITHUB_STEP_SUMMARY</c> as Markdown (verdict, a
/// table of tasks, the critical path, the DAG as Mermaid), and the tasks' outputs written to
/// <c>$GITHUB_OUTPUT</c> as <c>&lt;task&gt;-&lt;output&gt;</c> (masked as published).
/// </summary>
public sealed class ActionsRunReporter(TextWriter output, WorkflowDefinition workflow) : IRunObserver
{
    private const int MaxLines = 5000;
    private readonly Dictionary<string, List<string>> _lines = new(StringComparer.Ordinal);

    public void OnEvent(RunEvent e)
    {
        switch (e)
        {
            case TaskOutput o:
                if (!_lines.TryGetValue(o.InstanceId, out var lines)) _lines[o.InstanceId] = lines = [];
                if (lines.Count < MaxLines) lines.Add((o.Stream == OutputStream.Stderr ? "! " : "") + o.Line);
                else if (lines.Count == MaxLines) lines.Add("[... more lines: the log file has them all]");
                break;
            case TaskFinished f:
                Finished(f.Result);
                break;
            case RunFinished r:
                Summary(r.Result);
                Outputs(r.Result);
                break;
        }
    }

    private void Finished(TaskResult r)
    {
        var lines = _lines.GetValueOrDefault(r.InstanceId) ?? [];
        _lines.Remove(r.InstanceId);
        var mark = r.State switch { TaskState.Succeeded => "✓", TaskState.Cached => "↺", TaskState.Skipped => "–", TaskState.Cancelled => "■", _ => "✗" };
        if (lines.Count > 0)
        {
            output.WriteLine(WorkflowCommands.Group($"{mark} {r.InstanceId} ({r.State.Name()}, {DurationText.Format(r.Duration)})"));
            foreach (var line in lines) output.WriteLine(line);
            output.WriteLine(WorkflowCommands.EndGroup);
        }
        if (r.State.IsFailure() && !r.ContinuedOnError)
        {
            var task = workflow.Tasks.FirstOrDefault(t => t.Id.Value == r.TaskId);
            output.WriteLine(WorkflowCommands.Error(workflow.Path, task?.Span.Line ?? 0, $"task {r.InstanceId} {r.State.Name()}", r.Error ?? r.State.Name()));
        }
        output.Flush();
    }

    private void Summary(RunResult run)
    {
        var path = Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY");
        if (string.IsNullOrEmpty(path)) return;
        File.AppendAllText(path, Markdown(run, workflow));
    }

    public static string Markdown(RunResult run, WorkflowDefinition workflow)
    {
        var b = new StringBuilder();
        var verdict = run.Status switch { RunStatus.Succeeded => "✅ succeeded", RunStatus.Cancelled => "⏹️ cancelled", _ => "❌ failed" };
        b.AppendLine($"### {workflow.Name.Value} {verdict} in {DurationText.Format(run.Duration)}").AppendLine();
        if (run.Error is { } error) b.AppendLine($"> {Cell(error)}").AppendLine();
        b.AppendLine("| Task | Status | Attempts | Duration |").AppendLine("|---|---|---|---|");
        foreach (var t in run.Tasks.OrderBy(t => t.StartedAt ?? DateTimeOffset.MaxValue))
            b.AppendLine($"| `{t.InstanceId}` | {Icon(t.State)} {t.State.Name()}{(t.ContinuedOnError ? " (continue_on_error)" : "")} | {t.Attempts.Count.ToString(CultureInfo.InvariantCulture)} | {DurationText.Format(t.Duration)} |");
        if (run.CriticalPathTaken.Count > 0)
            b.AppendLine().AppendLine($"**Critical path:** {string.Join(" → ", run.CriticalPathTaken.Select(id => $"`{id}`"))}");
        b.AppendLine().AppendLine("```mermaid").Append(GraphWriter.Mermaid(workflow)).AppendLine("```").AppendLine();
        b.AppendLine($"Execution `{run.ExecutionId}`: `workflow status {run.ExecutionId}` shows it.").AppendLine();
        return b.ToString();
    }

    private static string Icon(TaskState s) => s switch { TaskState.Succeeded => "✅", TaskState.Cached => "♻️", TaskState.Skipped => "⏭️", TaskState.Cancelled => "⏹️", _ => "❌" };

    private static string Cell(string text) => text.ReplaceLineEndings(" ").Replace("|", "\\|");

    /// <summary><c>$GITHUB_OUTPUT</c>: each succeeded task's outputs as <c>&lt;task&gt;-&lt;name&gt;</c>, multi-line values in heredoc form.</summary>
    private static void Outputs(RunResult run)
    {
        var path = Environment.GetEnvironmentVariable("GITHUB_OUTPUT");
        if (string.IsNullOrEmpty(path)) return;
        var b = new StringBuilder();
        foreach (var t in run.Tasks.Where(t => t.State.IsSuccess()))
            foreach (var (name, value) in t.Outputs)
            {
                var key = $"{t.InstanceId}-{name}";
                if (value.Contains('\n'))
                {
                    var delimiter = "PIPELINE_EOF_" + Guid.NewGuid().ToString("N");
                    b.Append(key).Append("<<").AppendLine(delimiter).AppendLine(value).AppendLine(delimiter);
                }
                else b.Append(key).Append('=').AppendLine(value);
            }
        if (b.Length > 0) File.AppendAllText(path, b.ToString());
    }
}
