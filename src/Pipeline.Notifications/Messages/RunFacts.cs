using Pipeline.Engine.Running;
using Pipeline.Engine.Secrets;

namespace Pipeline.Notifications.Messages;

/// <summary>
/// What a message says about a run (or one task of it): the values behind <c>${execution.*}</c>.
/// Text that came from the run (errors, the log excerpt) is masked with the run's secrets.
/// </summary>
public sealed record RunFacts
{
    public required string ExecutionId { get; init; }
    public required string Status { get; init; }
    public TimeSpan Duration { get; init; }
    public string? Error { get; init; }
    public string? FailedTask { get; init; }
    public IReadOnlyList<string> FailedTasks { get; init; } = [];

    /// <summary>The last lines the failing task printed (masked).</summary>
    public string? Log { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset FinishedAt { get; init; }
    public string Trigger { get; init; } = "manual";
    public int TasksTotal { get; init; }
    public int TasksFailed { get; init; }

    /// <summary>An alert's or a resolution's explanation.</summary>
    public string? Alert { get; init; }

    /// <summary>The command that shows the run: <c>workflow status &lt;id&gt;</c>.</summary>
    public string StatusCommand => $"workflow status {ExecutionId}";

    public const int LogLines = 15;

    /// <summary>Facts about a finished run.</summary>
    public static RunFacts Of(RunResult run, string trigger, SecretMasker masker)
    {
        var failed = run.Tasks.Where(t => t.State.IsFailure() && !t.ContinuedOnError).ToList();
        var first = failed.OrderBy(t => t.FinishedAt ?? DateTimeOffset.MaxValue).FirstOrDefault();
        return new RunFacts
        {
            ExecutionId = run.ExecutionId,
            Status = run.Status.ToString().ToLowerInvariant(),
            Duration = run.Duration,
            Error = masker.ApplyOrNull(run.Error ?? first?.Error),
            FailedTask = first?.InstanceId,
            FailedTasks = failed.Select(t => t.InstanceId).ToList(),
            Log = first is null ? null : masker.ApplyOrNull(Excerpt(first)),
            StartedAt = run.StartedAt,
            FinishedAt = run.FinishedAt,
            Trigger = trigger,
            TasksTotal = run.Tasks.Count,
            TasksFailed = failed.Count,
        };
    }

    /// <summary>Facts about one task of a run (a task's own notifications).</summary>
    public static RunFacts OfTask(RunResult run, TaskResult task, string trigger, SecretMasker masker) => new()
    {
        ExecutionId = run.ExecutionId,
        Status = task.State.Name(),
        Duration = task.Duration,
        Error = masker.ApplyOrNull(task.Error),
        FailedTask = task.State.IsFailure() ? task.InstanceId : null,
        FailedTasks = task.State.IsFailure() ? [task.InstanceId] : [],
        Log = task.State.IsFailure() ? masker.ApplyOrNull(Excerpt(task)) : null,
        StartedAt = task.StartedAt ?? run.StartedAt,
        FinishedAt = task.FinishedAt ?? run.FinishedAt,
        Trigger = trigger,
        TasksTotal = 1,
        TasksFailed = task.State.IsFailure() ? 1 : 0,
    };

    /// <summary>The last lines a task printed: stderr when it has any, else stdout.</summary>
    private static string? Excerpt(TaskResult task)
    {
        var text = string.IsNullOrWhiteSpace(task.Stderr) ? task.Stdout : task.Stderr;
        var lines = text.Replace("\r\n", "\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Length == 0 ? null : string.Join("\n", lines.TakeLast(LogLines).Select(l => l.Length > 300 ? l[..300] + "…" : l));
    }

    public string DurationText => Engine.Running.DurationText.Format(Duration);
}
