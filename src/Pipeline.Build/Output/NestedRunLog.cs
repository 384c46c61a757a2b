using Pipeline.Engine.Events;
using Pipeline.Engine.Running;

namespace Pipeline.Build;

/// <summary>A generated workflow's run, told as lines of the build node that runs it: each task's start, result and (with --verbose, or on failure) its output.</summary>
internal sealed class NestedRunLog(Action<string> log, bool verbose) : IRunObserver
{
    private readonly Dictionary<string, List<string>> _output = new(StringComparer.Ordinal);

    public void OnEvent(RunEvent e)
    {
        lock (_output)
        {
            switch (e)
            {
                case TaskOutput o when verbose || o.Live:
                    log($"{o.InstanceId}: {o.Line}");
                    break;
                case TaskOutput o:
                    if (!_output.TryGetValue(o.InstanceId, out var lines)) _output[o.InstanceId] = lines = [];
                    if (lines.Count < 200) lines.Add(o.Line);
                    break;
                case TaskFinished f:
                    var r = f.Result;
                    var mark = r.State switch { TaskState.Succeeded => "✓", TaskState.Cached => "↺", TaskState.Skipped => "-", _ when r.State.IsFailure() => "✗", _ => "•" };
                    log($"{mark} {r.InstanceId} {r.State.Name()} {DurationText.Format(r.Duration)}{(r.Error is null ? r.Reason is null ? "" : ": " + r.Reason : ": " + r.Error)}");
                    if (r.State.IsFailure() && _output.TryGetValue(r.InstanceId, out var output))
                        foreach (var line in output.TakeLast(20)) log($"    {line}");
                    break;
            }
        }
    }

}
