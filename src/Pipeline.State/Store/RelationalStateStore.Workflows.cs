namespace Pipeline.State;

/// <summary>The workflows that have run, and what their notifications did (schema 3).</summary>
public abstract partial class RelationalStateStore
{
    /// <summary>
    /// Notes that <paramref name="e"/>'s workflow ran. A resumed execution keeps its first start, so
    /// the row only moves forward: the latest run's file, version and hash stay, whatever order
    /// executions are written in.
    /// </summary>
    private void WorkflowRan(ExecutionRecord e) => Execute(
        """
        INSERT INTO workflows (name, file, version, content_hash, first_run_at, last_run_at)
        VALUES (@name, @file, @version, @hash, @at, @at)
        ON CONFLICT (name) DO UPDATE SET
            file = CASE WHEN excluded.last_run_at >= workflows.last_run_at THEN excluded.file ELSE workflows.file END,
            version = CASE WHEN excluded.last_run_at >= workflows.last_run_at THEN excluded.version ELSE workflows.version END,
            content_hash = CASE WHEN excluded.last_run_at >= workflows.last_run_at THEN excluded.content_hash ELSE workflows.content_hash END,
            first_run_at = CASE WHEN excluded.first_run_at < workflows.first_run_at THEN excluded.first_run_at ELSE workflows.first_run_at END,
            last_run_at = CASE WHEN excluded.last_run_at > workflows.last_run_at THEN excluded.last_run_at ELSE workflows.last_run_at END
        """,
        ("name", e.Workflow), ("file", e.File), ("version", e.Version), ("hash", e.ContentHash), ("at", Time(e.StartedAt)));

    public IReadOnlyList<WorkflowRecord> Workflows() => Read(
        "SELECT name, file, version, content_hash, first_run_at, last_run_at FROM workflows ORDER BY name",
        r => new WorkflowRecord(r.GetString(0), Text(r, 1), Text(r, 2), Text(r, 3), TimeOrNull(r, 4)!.Value, TimeOrNull(r, 5)!.Value));

    public void NotificationDelivered(NotificationDelivery d) => Execute(
        """
        INSERT INTO notification_deliveries (execution_id, channel, event, status, attempts, sent_at, error)
        VALUES (@execution, @channel, @event, @status, @attempts, @sent, @error)
        ON CONFLICT (execution_id, channel, event) DO UPDATE SET status = @status, attempts = notification_deliveries.attempts + @attempts, sent_at = @sent, error = @error
        """,
        ("execution", d.ExecutionId), ("channel", d.Channel), ("event", d.Event), ("status", d.Status), ("attempts", d.Attempts),
        ("sent", Time(d.SentAt)), ("error", d.Error));

    private List<NotificationDelivery> Deliveries(string executionId) => Read(
        "SELECT execution_id, channel, event, status, attempts, sent_at, error FROM notification_deliveries WHERE execution_id = @id ORDER BY sent_at, channel",
        r => new NotificationDelivery(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4), TimeOrNull(r, 5)!.Value, Text(r, 6)),
        ("id", executionId));
}
