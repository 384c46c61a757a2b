namespace Pipeline.State;

/// <summary>
/// The store's schema, as numbered migrations; a store is at the version of the last one applied
/// (SQLite keeps it in <c>PRAGMA user_version</c>). New versions only append: an old migration is
/// never edited, so every store can be brought forward.
/// </summary>
internal static class Schema
{
    public static readonly string[] Migrations =
    [
        // 1: executions, their task runs and attempts.
        """
        CREATE TABLE executions (
            id TEXT PRIMARY KEY,
            workflow TEXT NOT NULL,
            file TEXT,
            version TEXT,
            content_hash TEXT,
            trigger TEXT NOT NULL,
            parameters TEXT,
            status TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            error TEXT
        );
        CREATE INDEX executions_by_workflow ON executions (workflow, started_at);
        CREATE INDEX executions_by_start ON executions (started_at);
        CREATE TABLE task_runs (
            execution_id TEXT NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
            instance_id TEXT NOT NULL,
            task_id TEXT NOT NULL,
            role TEXT NOT NULL,
            status TEXT NOT NULL,
            started_at TEXT,
            finished_at TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            exit_code INTEGER,
            error TEXT,
            reason TEXT,
            outputs TEXT,
            output_excerpt TEXT,
            stdout_log TEXT,
            stderr_log TEXT,
            PRIMARY KEY (execution_id, instance_id)
        );
        CREATE TABLE attempts (
            execution_id TEXT NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
            instance_id TEXT NOT NULL,
            number INTEGER NOT NULL,
            status TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT NOT NULL,
            exit_code INTEGER,
            error TEXT,
            PRIMARY KEY (execution_id, instance_id, number)
        );
        """,
        // 2: which process runs an execution, so an interrupted one can be told from a live one.
        """
        ALTER TABLE executions ADD COLUMN pid INTEGER;
        ALTER TABLE executions ADD COLUMN host TEXT;
        """,
        // 3: the workflows that have run (filled from the executions already there), and what the
        // notifiers delivered. One delivery row per execution, channel and event: a resumed run that
        // notifies again replaces it, with its attempts counted.
        """
        CREATE TABLE workflows (
            name TEXT PRIMARY KEY,
            file TEXT,
            version TEXT,
            content_hash TEXT,
            first_run_at TEXT NOT NULL,
            last_run_at TEXT NOT NULL
        );
        INSERT INTO workflows (name, first_run_at, last_run_at)
            SELECT workflow, MIN(started_at), MAX(started_at) FROM executions GROUP BY workflow;
        UPDATE workflows SET
            file = (SELECT e.file FROM executions e WHERE e.workflow = workflows.name ORDER BY e.started_at DESC LIMIT 1),
            version = (SELECT e.version FROM executions e WHERE e.workflow = workflows.name ORDER BY e.started_at DESC LIMIT 1),
            content_hash = (SELECT e.content_hash FROM executions e WHERE e.workflow = workflows.name ORDER BY e.started_at DESC LIMIT 1);
        CREATE TABLE notification_deliveries (
            execution_id TEXT NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
            channel TEXT NOT NULL,
            event TEXT NOT NULL,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            sent_at TEXT NOT NULL,
            error TEXT,
            PRIMARY KEY (execution_id, channel, event)
        );
        """,
        // 4: the process (and session) that runs each task instance, with its start time so a
        // reused pid is not mistaken for it: resume stops what a killed runner left running.
        """
        ALTER TABLE task_runs ADD COLUMN process_id INTEGER;
        ALTER TABLE task_runs ADD COLUMN process_start TEXT;
        """,
        // 5: what a trigger carried (a schedule's firing time, a webhook's payload, a file change's
        // files) as JSON; the concurrency group a run counts in (its policy applies per group); and the claims that keep one firing or one webhook delivery from starting
        // two runs, across restarts (the key names the trigger and the firing or delivery).
        """
        ALTER TABLE executions ADD COLUMN trigger_data TEXT;
        ALTER TABLE executions ADD COLUMN concurrency_group TEXT;
        CREATE TABLE trigger_claims (
            key TEXT PRIMARY KEY,
            execution_id TEXT NOT NULL,
            claimed_at TEXT NOT NULL
        );
        CREATE INDEX trigger_claims_by_time ON trigger_claims (claimed_at);
        """,
        // 6: every attempt of a notification delivery is a row of its own (numbered per execution,
        // channel and event, so a resumed run's attempts follow the first run's); and the state of
        // each alert rule per workflow, so an alert is sent once per throttle window and its
        // "resolved" message once when it clears.
        """
        CREATE TABLE notification_attempts (
            execution_id TEXT NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
            channel TEXT NOT NULL,
            event TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            status TEXT NOT NULL,
            sent_at TEXT NOT NULL,
            duration_ms INTEGER,
            error TEXT,
            PRIMARY KEY (execution_id, channel, event, attempt)
        );
        INSERT INTO notification_attempts (execution_id, channel, event, attempt, status, sent_at, error)
            SELECT execution_id, channel, event, attempts, status, sent_at, error FROM notification_deliveries;
        DROP TABLE notification_deliveries;
        ALTER TABLE notification_attempts RENAME TO notification_deliveries;
        CREATE TABLE alert_states (
            workflow TEXT NOT NULL,
            rule TEXT NOT NULL,
            firing INTEGER NOT NULL,
            since TEXT NOT NULL,
            last_sent_at TEXT,
            suppressed INTEGER NOT NULL DEFAULT 0,
            detail TEXT,
            PRIMARY KEY (workflow, rule)
        );
        """,
    ];

    public static int Latest => Migrations.Length;
}
