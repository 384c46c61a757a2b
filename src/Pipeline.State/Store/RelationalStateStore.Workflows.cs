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

    public void NotificationAttempted(NotificationAttempt a) => Execute(
        """
        INSERT INTO notification_deliveries (execution_id, channel, event, attempt, status, sent_at, duration_ms, error)
        SELECT @execution, @channel, @event, COALESCE(MAX(attempt), 0) + 1, @status, @sent, @duration, @error
        FROM notification_deliveries WHERE execution_id = @execution AND channel = @channel AND event = @event
        """,
        ("execution", a.ExecutionId), ("channel", a.Channel), ("event", a.Event), ("status", a.Status),
        ("sent", Time(a.SentAt)), ("duration", a.DurationMs), ("error", a.Error));

    private List<NotificationAttempt> NotificationAttempts(string executionId) => Read(
        "SELECT execution_id, channel, event, attempt, status, sent_at, duration_ms, error FROM notification_deliveries WHERE execution_id = @id ORDER BY sent_at, channel, event, attempt",
        r => new NotificationAttempt(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(4), TimeOrNull(r, 5)!.Value, r.IsDBNull(6) ? null : r.GetInt64(6), Text(r, 7)) { Number = r.GetInt32(3) },
        ("id", executionId));

    public IReadOnlyList<AlertState> Alerts(string workflow) => Read(
        "SELECT workflow, rule, firing, since, last_sent_at, suppressed, detail FROM alert_states WHERE workflow = @workflow ORDER BY rule",
        r => new AlertState(r.GetString(0), r.GetString(1), r.GetInt64(2) != 0, TimeOrNull(r, 3)!.Value, TimeOrNull(r, 4), r.GetInt32(5), Text(r, 6)),
        ("workflow", workflow));

    public void SaveAlert(AlertState a) => Execute(
        """
        INSERT INTO alert_states (workflow, rule, firing, since, last_sent_at, suppressed, detail)
        VALUES (@workflow, @rule, @firing, @since, @sent, @suppressed, @detail)
        ON CONFLICT (workflow, rule) DO UPDATE SET firing = @firing, since = @since, last_sent_at = @sent, suppressed = @suppressed, detail = @detail
        """,
        ("workflow", a.Workflow), ("rule", a.Rule), ("firing", a.Firing ? 1 : 0), ("since", Time(a.Since)),
        ("sent", a.LastSentAt is { } sent ? Time(sent) : null), ("suppressed", a.Suppressed), ("detail", a.Detail));

    public IReadOnlyList<string> DeleteWorkflow(string workflow)
    {
        List<string> ids = [];
        InOneTransaction(() =>
        {
            ids = Read("DELETE FROM executions WHERE workflow = @workflow AND status <> 'running' RETURNING id", r => r.GetString(0), ("workflow", workflow));
            Execute("DELETE FROM alert_states WHERE workflow = @workflow", ("workflow", workflow));
            Execute("DELETE FROM workflows WHERE name = @workflow AND NOT EXISTS (SELECT 1 FROM executions WHERE workflow = @workflow)", ("workflow", workflow));
        });
        return ids.Order(StringComparer.Ordinal).ToList();
    }
}
