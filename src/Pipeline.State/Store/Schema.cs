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
    ];

    public static int Latest => Migrations.Length;
}
