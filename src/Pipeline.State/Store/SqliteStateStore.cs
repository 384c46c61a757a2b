using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Pipeline.State;

/// <summary>
/// The default store: one SQLite file (<c>.workflow/state.db</c>) in WAL mode with full syncs, so a
/// write is on disk when the call returns and readers (<c>workflow history</c> while a run goes on)
/// never block the writer. Opening migrates the schema forward.
/// </summary>
public sealed class SqliteStateStore : IStateStore
{
    private readonly SqliteConnection _connection;
    private readonly object _gate = new();
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    private SqliteStateStore(SqliteConnection connection) => _connection = connection;

    public string Path { get; private init; } = "";

    /// <exception cref="StateStoreException">The file is not a database, is newer than this version, or cannot be opened.</exception>
    public static SqliteStateStore Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Pooling = false }.ToString());
            connection.Open();
            var store = new SqliteStateStore(connection) { Path = full };
            store.Execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;");
            store.Migrate();
            return store;
        }
        catch (SqliteException e)
        {
            throw new StateStoreException(Describe(e, full, "cannot open the state database"), e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StateStoreException($"cannot create the state database {full}: {e.Message}", e);
        }
    }

    public int SchemaVersion => Convert.ToInt32(Scalar("PRAGMA user_version"), CultureInfo.InvariantCulture);

    private void Migrate()
    {
        var version = SchemaVersion;
        if (version > Schema.Latest)
            throw new StateStoreException($"{Path} was written by a newer Pipeline (schema {version}, this one knows {Schema.Latest}): upgrade Pipeline");
        for (var v = version; v < Schema.Latest; v++)
        {
            using var transaction = _connection.BeginTransaction();
            Execute(Schema.Migrations[v], transaction);
            Execute($"PRAGMA user_version = {v + 1}", transaction);
            transaction.Commit();
        }
    }

    public void ExecutionStarted(ExecutionRecord e) => Write(
        """
        INSERT INTO executions (id, workflow, file, version, content_hash, trigger, parameters, status, started_at, finished_at, error, pid, host)
        VALUES ($id, $workflow, $file, $version, $hash, $trigger, $parameters, $status, $started, $finished, $error, $pid, $host)
        ON CONFLICT (id) DO UPDATE SET status = $status, finished_at = NULL, error = NULL, content_hash = $hash, pid = $pid, host = $host
        """,
        ("$id", e.Id), ("$workflow", e.Workflow), ("$file", e.File), ("$version", e.Version), ("$hash", e.ContentHash),
        ("$trigger", e.Trigger), ("$parameters", e.Parameters), ("$status", e.Status), ("$started", Time(e.StartedAt)),
        ("$finished", Time(e.FinishedAt)), ("$error", e.Error), ("$pid", e.Pid), ("$host", e.Host));

    public void TaskStarted(string executionId, string instanceId, string taskId, string role, int attempt, DateTimeOffset at) => Write(
        """
        INSERT INTO task_runs (execution_id, instance_id, task_id, role, status, started_at, attempts)
        VALUES ($execution, $instance, $task, $role, 'running', $started, $attempt)
        ON CONFLICT (execution_id, instance_id) DO UPDATE SET status = 'running', attempts = $attempt
        """,
        ("$execution", executionId), ("$instance", instanceId), ("$task", taskId), ("$role", role), ("$started", Time(at)), ("$attempt", attempt));

    public void TaskFinished(TaskRunRecord t, IReadOnlyList<AttemptRow> attempts)
    {
        lock (_gate)
        {
            using var own = _transaction is null ? _connection.BeginTransaction() : null;
            var transaction = _transaction ?? own!;
            Execute(
                """
                INSERT INTO task_runs (execution_id, instance_id, task_id, role, status, started_at, finished_at, attempts, exit_code, error, reason, outputs, output_excerpt, stdout_log, stderr_log)
                VALUES ($execution, $instance, $task, $role, $status, $started, $finished, $attempts, $exit, $error, $reason, $outputs, $excerpt, $stdout, $stderr)
                ON CONFLICT (execution_id, instance_id) DO UPDATE SET status = $status, started_at = COALESCE(started_at, $started), finished_at = $finished,
                    attempts = $attempts, exit_code = $exit, error = $error, reason = $reason, outputs = $outputs, output_excerpt = $excerpt, stdout_log = $stdout, stderr_log = $stderr
                """, transaction,
                ("$execution", t.ExecutionId), ("$instance", t.InstanceId), ("$task", t.TaskId), ("$role", t.Role), ("$status", t.Status),
                ("$started", Time(t.StartedAt)), ("$finished", Time(t.FinishedAt)), ("$attempts", t.Attempts), ("$exit", t.ExitCode),
                ("$error", t.Error), ("$reason", t.Reason), ("$outputs", t.Outputs), ("$excerpt", t.OutputExcerpt), ("$stdout", t.StdoutLog), ("$stderr", t.StderrLog));
            foreach (var a in attempts)
                Execute(
                    """
                    INSERT OR REPLACE INTO attempts (execution_id, instance_id, number, status, started_at, finished_at, exit_code, error)
                    VALUES ($execution, $instance, $number, $status, $started, $finished, $exit, $error)
                    """, transaction,
                    ("$execution", a.ExecutionId), ("$instance", a.InstanceId), ("$number", a.Number), ("$status", a.Status),
                    ("$started", Time(a.StartedAt)), ("$finished", Time(a.FinishedAt)), ("$exit", a.ExitCode), ("$error", a.Error));
            own?.Commit();
        }
    }

    public IReadOnlyList<TaskSample> TaskSamples(string? workflow, DateTimeOffset? since)
    {
        var sql = """
            SELECT e.workflow, t.task_id, t.execution_id, t.status, t.started_at, t.finished_at, t.attempts, t.error
            FROM task_runs t JOIN executions e ON e.id = t.execution_id
            WHERE t.role = 'dag' AND t.started_at IS NOT NULL AND t.finished_at IS NOT NULL AND t.status <> 'running'
              AND ($workflow IS NULL OR e.workflow = $workflow) AND ($since IS NULL OR t.started_at >= $since)
            ORDER BY t.started_at
            """;
        return Read(sql, r => new TaskSample(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), TimeOrNull(r, 4)!.Value,
            TimeOrNull(r, 5)!.Value - TimeOrNull(r, 4)!.Value, r.GetInt32(6), Text(r, 7)), ("$workflow", workflow), ("$since", Time(since)));
    }

    public IReadOnlyList<string> Prune(DateTimeOffset before, bool dryRun = false)
    {
        var ids = Read("SELECT id FROM executions WHERE status <> 'running' AND COALESCE(finished_at, started_at) < $before ORDER BY id",
            r => r.GetString(0), ("$before", Time(before)));
        if (dryRun || ids.Count == 0) return ids;
        Write("DELETE FROM executions WHERE status <> 'running' AND COALESCE(finished_at, started_at) < $before", ("$before", Time(before)));
        Write("PRAGMA wal_checkpoint(TRUNCATE)");
        return ids;
    }

    public IReadOnlyList<ExecutionRecord> TryClaim(ExecutionRecord execution, Func<ExecutionRecord, bool> isAlive)
    {
        lock (_gate)
        {
            // BEGIN IMMEDIATE takes SQLite's write lock now, so two processes cannot both see "free" and both claim.
            Execute("BEGIN IMMEDIATE");
            try
            {
                var running = Read("SELECT id, workflow, file, version, content_hash, trigger, parameters, status, started_at, finished_at, error, pid, host FROM executions WHERE workflow = $workflow AND status = 'running' AND id <> $id",
                    ReadExecution, ("$workflow", execution.Workflow), ("$id", execution.Id)).Where(isAlive).ToList();
                if (running.Count == 0) ExecutionStarted(execution);
                Execute("COMMIT");
                return running;
            }
            catch
            {
                Execute("ROLLBACK");
                throw;
            }
        }
    }

    public void InOneTransaction(Action writes)
    {
        lock (_gate)
        {
            if (_transaction is not null) { writes(); return; }
            _transaction = _connection.BeginTransaction();
            try
            {
                writes();
                _transaction.Commit();
            }
            finally
            {
                _transaction.Dispose();
                _transaction = null;
            }
        }
    }

    private SqliteTransaction? _transaction;

    public void ExecutionFinished(string executionId, string status, DateTimeOffset finishedAt, string? error) => Write(
        "UPDATE executions SET status = $status, finished_at = $finished, error = $error WHERE id = $id",
        ("$id", executionId), ("$status", status), ("$finished", Time(finishedAt)), ("$error", error));

    public IReadOnlyList<ExecutionRecord> History(HistoryQuery query)
    {
        var where = new List<string>();
        var parameters = new List<(string, object?)>();
        if (query.Workflow is { } w) { where.Add("workflow = $workflow"); parameters.Add(("$workflow", w)); }
        if (query.Status is { } s) { where.Add("status = $status"); parameters.Add(("$status", s)); }
        if (query.Since is { } since) { where.Add("started_at >= $since"); parameters.Add(("$since", Time(since))); }
        parameters.Add(("$limit", query.Limit));
        var sql = "SELECT id, workflow, file, version, content_hash, trigger, parameters, status, started_at, finished_at, error, pid, host FROM executions"
            + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") + " ORDER BY started_at DESC, id DESC LIMIT $limit";
        return Read(sql, ReadExecution, parameters.ToArray());
    }

    public ExecutionDetail? Find(string executionId)
    {
        var matches = Read("SELECT id, workflow, file, version, content_hash, trigger, parameters, status, started_at, finished_at, error, pid, host FROM executions WHERE id LIKE $prefix ESCAPE '\\' ORDER BY id LIMIT 2",
            ReadExecution, ("$prefix", executionId.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%"));
        if (matches.Count != 1) return null;
        var id = matches[0].Id;
        var tasks = Read(
            "SELECT execution_id, instance_id, task_id, role, status, started_at, finished_at, attempts, exit_code, error, reason, outputs, output_excerpt, stdout_log, stderr_log FROM task_runs WHERE execution_id = $id ORDER BY COALESCE(started_at, '9'), instance_id",
            r => new TaskRunRecord
            {
                ExecutionId = r.GetString(0), InstanceId = r.GetString(1), TaskId = r.GetString(2), Role = r.GetString(3), Status = r.GetString(4),
                StartedAt = TimeOrNull(r, 5), FinishedAt = TimeOrNull(r, 6), Attempts = r.GetInt32(7), ExitCode = r.IsDBNull(8) ? null : r.GetInt32(8),
                Error = Text(r, 9), Reason = Text(r, 10), Outputs = Text(r, 11), OutputExcerpt = Text(r, 12), StdoutLog = Text(r, 13), StderrLog = Text(r, 14),
            }, ("$id", id));
        var attempts = Read(
            "SELECT execution_id, instance_id, number, status, started_at, finished_at, exit_code, error FROM attempts WHERE execution_id = $id ORDER BY instance_id, number",
            r => new AttemptRow(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetString(3), TimeOrNull(r, 4)!.Value, TimeOrNull(r, 5)!.Value,
                r.IsDBNull(6) ? null : r.GetInt32(6), Text(r, 7)), ("$id", id));
        return new ExecutionDetail(matches[0], tasks, attempts);
    }

    /// <summary>True when SQLite finds the file sound (<c>PRAGMA integrity_check</c>).</summary>
    public bool IntegrityCheck() => (string?)Scalar("PRAGMA integrity_check") == "ok";

    public void Dispose()
    {
        foreach (var command in _commands.Values) command.Dispose();
        _connection.Dispose();
    }

    private static ExecutionRecord ReadExecution(SqliteDataReader r) => new()
    {
        Id = r.GetString(0), Workflow = r.GetString(1), File = Text(r, 2), Version = Text(r, 3), ContentHash = Text(r, 4), Trigger = r.GetString(5),
        Parameters = Text(r, 6), Status = r.GetString(7), StartedAt = TimeOrNull(r, 8)!.Value, FinishedAt = TimeOrNull(r, 9), Error = Text(r, 10),
        Pid = r.IsDBNull(11) ? null : r.GetInt32(11), Host = Text(r, 12),
    };

    private void Write(string sql, params (string, object?)[] parameters)
    {
        lock (_gate) Execute(sql, _transaction, parameters);
    }

    private void Execute(string sql, SqliteTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        try
        {
            // Commands are kept and reused: SQLite then compiles each statement once, not per task.
            if (!_commands.TryGetValue(sql, out var command))
            {
                command = _connection.CreateCommand();
                command.CommandText = sql;
                _commands[sql] = command;
            }
            command.Transaction = transaction;
            command.Parameters.Clear();
            foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            command.ExecuteNonQuery();
        }
        catch (SqliteException e)
        {
            throw new StateStoreException(Describe(e, Path, "cannot write to the state database"), e);
        }
    }

    private object? Scalar(string sql)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            return command.ExecuteScalar();
        }
    }

    private List<T> Read<T>(string sql, Func<SqliteDataReader, T> map, params (string Name, object? Value)[] parameters)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            using var reader = command.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read()) rows.Add(map(reader));
            return rows;
        }
    }

    /// <summary>What went wrong, in words a user can act on (SQLite result codes: 5 busy, 6 locked, 11 corrupt, 13 full, 26 not a database).</summary>
    private static string Describe(SqliteException e, string path, string doing) => e.SqliteErrorCode switch
    {
        11 or 26 => $"{path} is not a Pipeline state database (or it is damaged): move it away to start a new one",
        5 or 6 => $"{path} is locked by another process: wait for it, or stop it",
        13 => $"the disk holding {path} is full",
        _ => $"{doing} {path}: {e.Message}",
    };

    /// <summary>Round-trip ISO 8601 in UTC: sorts as text, reads back exactly.</summary>
    private static string? Time(DateTimeOffset? t) => t?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset? TimeOrNull(SqliteDataReader r, int i) =>
        r.IsDBNull(i) ? null : DateTimeOffset.Parse(r.GetString(i), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static string? Text(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
