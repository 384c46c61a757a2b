using Pipeline.Engine.Running;

namespace Pipeline.Cli.Output;

/// <summary>The last lines a failed task printed (stderr, else stdout), shown under the failure so the reason is visible without opening the log.</summary>
public static class FailureTail
{
    public const int MaxLines = 15;

    public static IEnumerable<string> Lines(TaskResult result)
    {
        var text = result.Stderr.Length > 0 ? result.Stderr : result.Stdout;
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Skip(Math.Max(0, lines.Length - MaxLines)).Select(l => l.TrimEnd('\r'));
    }
}
