using Pipeline.Engine.Events;
using Pipeline.Engine.Running;

namespace Pipeline.Cli.Output;

/// <summary>
/// Line-by-line progress for logs and CI (and for terminals with <c>--quiet</c>): one line when a
/// task starts, retries and ends; output lines of <c>live_output</c> tasks (all tasks with
/// <c>--verbose</c>) prefixed with the task; the tail of a failed task's output. <c>--quiet</c>
/// keeps only failures.
/// </summary>
public sealed class PlainRunDisplay(TextWriter output, bool verbose, bool quiet) : IRunObserver
{
    public void OnEvent(RunEvent e)
    {
        switch (e)
        {
            case RunStarted s when !quiet:
                output.WriteLine($"Running {s.Plan.Workflow.Name.Value}: {TextReporter.Plural(s.Plan.Graph.Nodes.Count, "task")}, up to {s.MaxParallel} at once (execution {s.ExecutionId})");
                break;
            case TaskStarted t when !quiet:
                output.WriteLine(t.Attempt == 1 ? $"▶ {t.InstanceId}" : $"↻ {t.InstanceId}: attempt {t.Attempt}");
                break;
            case TaskOutput o when !quiet && (o.Live || verbose):
                output.WriteLine($"[{o.InstanceId}] {o.Line}");
                break;
            case TaskRetrying r:
                output.WriteLine($"  {r.InstanceId}: attempt {r.Failed.Number} {r.Failed.State.Name()}: {r.Failed.Error}; retrying in {DurationText.Format(r.Delay)}");
                break;
            case TaskFinished f:
                Finished(f.Result);
                break;
        }
        output.Flush();
    }

    private void Finished(TaskResult r)
    {
        switch (r.State)
        {
            case TaskState.Succeeded when !quiet:
                output.WriteLine($"✓ {r.InstanceId} {DurationText.Format(r.Duration)}");
                break;
            case TaskState.Cached when !quiet:
                output.WriteLine($"↺ {r.InstanceId} cached: {r.Reason}");
                break;
            case TaskState.Skipped when !quiet:
                output.WriteLine($"– {r.InstanceId} skipped: {r.Reason}");
                break;
            case TaskState.Cancelled when !quiet:
                output.WriteLine($"■ {r.InstanceId} cancelled{(r.Reason is null ? "" : ": " + r.Reason)}");
                break;
            case TaskState.Failed or TaskState.TimedOut:
                var note = r.ContinuedOnError ? " (continue_on_error)" : "";
                output.WriteLine($"✗ {r.InstanceId} {r.State.Name()} after {DurationText.Format(r.Duration)}{note}: {r.Error}");
                if (!verbose)
                    foreach (var line in FailureTail.Lines(r)) output.WriteLine($"    {line}");
                break;
        }
    }
}
