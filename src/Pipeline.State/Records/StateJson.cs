using System.Globalization;
using System.Text.Json;
using Pipeline.Engine.Json;

namespace Pipeline.State;

/// <summary>The JSON of history and status (and of `workflow serve`'s /executions/&lt;id&gt;): snake_case fields, times in ISO 8601 UTC, durations in seconds.</summary>
public static class StateJson
{
    /// <summary>A list of executions as history prints it.</summary>
    public static string Write(IEnumerable<ExecutionRecord> executions) => PipelineJson.Serialize(executions.Select(Execution).ToList(), indented: true);

    /// <summary>One execution with its tasks, as status and serve's /executions/&lt;id&gt; print it.</summary>
    public static string Write(ExecutionDetail detail) => PipelineJson.Serialize(Detail(detail), indented: true);

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    public static Dictionary<string, object?> Execution(ExecutionRecord e) => new()
    {
        ["id"] = e.Id,
        ["workflow"] = e.Workflow,
        ["status"] = e.Status,
        ["file"] = e.File,
        ["version"] = e.Version,
        ["content_hash"] = e.ContentHash,
        ["trigger"] = e.Trigger,
        ["concurrency_group"] = e.ConcurrencyGroup,
        ["trigger_data"] = e.TriggerData is null ? null : JsonDocument.Parse(e.TriggerData).RootElement.Clone(),
        ["parameters"] = e.Parameters is null ? null : PipelineJson.Deserialize<Dictionary<string, string>>(e.Parameters),
        ["started_at"] = Iso(e.StartedAt),
        ["finished_at"] = (e.FinishedAt is { } ef ? Iso(ef) : null),
        ["duration_seconds"] = e.Duration is { } d ? Math.Round(d.TotalSeconds, 3) : null,
        ["error"] = e.Error,
    };

    public static Dictionary<string, object?> Detail(ExecutionDetail d)
    {
        var json = Execution(d.Execution);
        json["tasks"] = d.Tasks.Select(t => new Dictionary<string, object?>
        {
            ["instance_id"] = t.InstanceId,
            ["task_id"] = t.TaskId,
            ["role"] = t.Role,
            ["status"] = t.Status,
            ["started_at"] = (t.StartedAt is { } ts ? Iso(ts) : null),
            ["finished_at"] = (t.FinishedAt is { } tf ? Iso(tf) : null),
            ["duration_seconds"] = t.Duration is { } span ? Math.Round(span.TotalSeconds, 3) : null,
            ["exit_code"] = t.ExitCode,
            ["error"] = t.Error,
            ["reason"] = t.Reason,
            ["outputs"] = t.Outputs is null ? null : PipelineJson.Deserialize<Dictionary<string, string>>(t.Outputs),
            ["output_excerpt"] = t.OutputExcerpt,
            ["stdout_log"] = t.StdoutLog,
            ["stderr_log"] = t.StderrLog,
            ["attempts"] = d.Attempts.Where(a => a.InstanceId == t.InstanceId).Select(a => new Dictionary<string, object?>
            {
                ["number"] = a.Number,
                ["status"] = a.Status,
                ["started_at"] = Iso(a.StartedAt),
                ["duration_seconds"] = Math.Round((a.FinishedAt - a.StartedAt).TotalSeconds, 3),
                ["exit_code"] = a.ExitCode,
                ["error"] = a.Error,
            }).ToList(),
        }).ToList();
        json["notifications"] = d.Deliveries.Select(n => new Dictionary<string, object?>
        {
            ["channel"] = n.Channel,
            ["event"] = n.Event,
            ["status"] = n.Status,
            ["attempts"] = n.Attempts,
            ["sent_at"] = Iso(n.SentAt),
            ["error"] = n.Error,
        }).ToList();
        json["notification_attempts"] = d.NotificationAttempts.Select(a => new Dictionary<string, object?>
        {
            ["channel"] = a.Channel,
            ["event"] = a.Event,
            ["attempt"] = a.Number,
            ["status"] = a.Status,
            ["sent_at"] = Iso(a.SentAt),
            ["duration_ms"] = a.DurationMs,
            ["error"] = a.Error,
        }).ToList();
        return json;
    }
}
