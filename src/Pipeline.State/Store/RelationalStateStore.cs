using System.Data.Common;
using System.Globalization;

namespace Pipeline.State;

/// <summary>
/// The store's SQL, shared by SQLite and PostgreSQL: one schema (<see cref="Schema"/>), one set of
/// statements written in the SQL both understand (<c>@name</c> parameters, <c>ON CONFLICT</c>
/// upserts, <c>RETURNING</c>), times as ISO 8601 text in UTC so they sort and read back exactly on
/// either. What differs (opening, where the schema version lives, how a claim is locked, how errors
/// read) is left to the subclass.
/// </summary>
/// <remarks>
/// One connection per store, used by one thread at a time (a lock): the recorder writes from its
/// own thread while the CLI reads. SQLite's commands are kept and reused per statement (see
/// <see cref="ReuseCommands"/>).
/// </remarks>
public abstract partial class RelationalStateStore : IStateStore
{
    private const string ExecutionColumns = "id, workflow, file, version, content_hash, trigger, parameters, status, started_at, finished_at, error, pid, host, trigger_data, concurrency_group";

    private readonly DbConnection _connection;
    private readonly object _gate = new();
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);
    private DbTransaction? _transaction;

    protected RelationalStateStore(DbConnection connection, string location)
    {
        _connection = connection;
        Location = location;
    }

    /// <summary>Where the store is, for messages: a file path, or the server and database (never a password).</summary>
    public string Location { get; }

    /// <summary>The schema version the store is at (<see cref="Schema.Latest"/> once opened).</summary>
    public int SchemaVersion
    {
        get { lock (_gate) return Guard("cannot read", ReadVersion); }
    }

    /// <summary>Reads the schema version; 0 for a store that has none yet.</summary>
    protected abstract int ReadVersion();

    /// <summary>Records the schema version, inside the migration's transaction.</summary>
    protected abstract void WriteVersion(int version);

    /// <summary>Keeps other processes from migrating at the same time (inside the migration's transaction).</summary>
    protected virtual void LockForMigration() { }

    /// <summary>Keeps other processes from claiming <paramref name="workflow"/> until this transaction ends.</summary>
    protected virtual void LockForClaim(string workflow) { }

    /// <summary>Gives the space of deleted rows back, if the database needs telling.</summary>
    protected virtual void AfterPrune() { }

    /// <summary>What went wrong, in words a user can act on.</summary>
    protected abstract string Describe(DbException e, string doing);

    /// <summary>Brings the schema forward; every migration in one transaction, so a crash leaves the old version whole.</summary>
    protected void Migrate()
    {
        if (CheckedVersion() == Schema.Latest) return;
        InOneTransaction(() =>
        {
            LockForMigration();
            // Read again under the lock: another process may have migrated meanwhile.
            for (var v = CheckedVersion(); v < Schema.Latest; v++)
            {
                Execute(Schema.Migrations[v]);
                WriteVersion(v + 1);
            }
        });
    }

    private int CheckedVersion()
    {
        var version = SchemaVersion;
        if (version > Schema.Latest)
            throw new StateStoreException($"{Location} was written by a newer Pipeline (schema {version}, this one knows {Schema.Latest}): upgrade Pipeline");
        return version;
    }

    public void ExecutionStarted(ExecutionRecord e) => InOneTransaction(() =>
    {
        WorkflowRan(e);
        Execute(
        $"""
        INSERT INTO executions ({ExecutionColumns})
        VALUES (@id, @workflow, @file, @version, @hash, @trigger, @parameters, @status, @started, @finished, @error, @pid, @host, @trigger_data, @group)
        ON CONFLICT (id) DO UPDATE SET status = @status, finished_at = NULL, error = NULL, content_hash = @hash, pid = @pid, host = @host,
            started_at = CASE WHEN executions.status = 'queued' THEN @started ELSE executions.started_at END
        """,
        ("id", e.Id), ("workflow", e.Workflow), ("file", e.File), ("version", e.Version), ("hash", e.ContentHash),
        ("trigger", e.Trigger), ("parameters", e.Parameters), ("status", e.Status), ("started", Time(e.StartedAt)),
        ("finished", Time(e.FinishedAt)), ("error", e.Error), ("pid", e.Pid), ("host", e.Host), ("trigger_data", e.TriggerData), ("group", e.ConcurrencyGroup));
    });

    public void TaskStarted(string executionId, string instanceId, string taskId, string role, int attempt, DateTimeOffset at) => Execute(
        """
        INSERT INTO task_runs (execution_id, instance_id, task_id, role, status, started_at, attempts)
        VALUES (@execution, @instance, @task, @role, 'running', @started, @attempt)
        ON CONFLICT (execution_id, instance_id) DO UPDATE SET status = 'running', attempts = @attempt
        """,
        ("execution", executionId), ("instance", instanceId), ("task", taskId), ("role", role), ("started", Time(at)), ("attempt", attempt));

    public void TaskProcess(string executionId, string instanceId, int processId, string? processStart) => Execute(
        "UPDATE task_runs SET process_id = @pid, process_start = @start WHERE execution_id = @execution AND instance_id = @instance",
        ("execution", executionId), ("instance", instanceId), ("pid", processId), ("start", processStart));

    public void TaskFinished(TaskRunRecord t, IReadOnlyList<AttemptRow> attempts) => InOneTransaction(() =>
    {
        Execute(
            """
            INSERT INTO task_runs (execution_id, instance_id, task_id, role, status, started_at, finished_at, attempts, exit_code, error, reason, outputs, output_excerpt, stdout_log, stderr_log)
            VALUES (@execution, @instance, @task, @role, @status, @started, @finished, @attempts, @exit, @error, @reason, @outputs, @excerpt, @stdout, @stderr)
            ON CONFLICT (execution_id, instance_id) DO UPDATE SET status = @status, started_at = COALESCE(task_runs.started_at, @started), finished_at = @finished,
                attempts = @attempts, exit_code = @exit, error = @error, reason = @reason, outputs = @outputs, output_excerpt = @excerpt, stdout_log = @stdout, stderr_log = @stderr
            """,
            ("execution", t.ExecutionId), ("instance", t.InstanceId), ("task", t.TaskId), ("role", t.Role), ("status", t.Status),
            ("started", Time(t.StartedAt)), ("finished", Time(t.FinishedAt)), ("attempts", t.Attempts), ("exit", t.ExitCode),
            ("error", t.Error), ("reason", t.Reason), ("outputs", t.Outputs), ("excerpt", t.OutputExcerpt), ("stdout", t.StdoutLog), ("stderr", t.StderrLog));
        foreach (var a in attempts)
            Execute(
                """
                INSERT INTO attempts (execution_id, instance_id, number, status, started_at, finished_at, exit_code, error)
                VALUES (@execution, @instance, @number, @status, @started, @finished, @exit, @error)
                ON CONFLICT (execution_id, instance_id, number) DO UPDATE SET status = @status, started_at = @started, finished_at = @finished, exit_code = @exit, error = @error
                """,
                ("execution", a.ExecutionId), ("instance", a.InstanceId), ("number", a.Number), ("status", a.Status),
                ("started", Time(a.StartedAt)), ("finished", Time(a.FinishedAt)), ("exit", a.ExitCode), ("error", a.Error));
    });

    public void ExecutionFinished(string executionId, string status, DateTimeOffset finishedAt, string? error) => Execute(
        "UPDATE executions SET status = @status, finished_at = @finished, error = @error WHERE id = @id",
        ("id", executionId), ("status", status), ("finished", Time(finishedAt)), ("error", error));

    public IReadOnlyList<TaskSample> TaskSamples(string? workflow, DateTimeOffset? since)
    {
        var where = new List<string> { "t.role = 'dag'", "t.started_at IS NOT NULL", "t.finished_at IS NOT NULL", "t.status <> 'running'" };
        var parameters = new List<(string, object?)>();
        if (workflow is not null) { where.Add("e.workflow = @workflow"); parameters.Add(("workflow", workflow)); }
        if (since is not null) { where.Add("t.started_at >= @since"); parameters.Add(("since", Time(since))); }
        var sql = "SELECT e.workflow, t.task_id, t.execution_id, t.status, t.started_at, t.finished_at, t.attempts, t.error "
            + "FROM task_runs t JOIN executions e ON e.id = t.execution_id WHERE " + string.Join(" AND ", where) + " ORDER BY t.started_at";
        return Read(sql, r => new TaskSample(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), TimeOrNull(r, 4)!.Value,
            TimeOrNull(r, 5)!.Value - TimeOrNull(r, 4)!.Value, r.GetInt32(6), Text(r, 7)), parameters.ToArray());
    }

    public IReadOnlyDictionary<string, IReadOnlyList<TimeSpan>> RecentSuccessDurations(string workflow, int perTask)
    {
        // A window over each task's successes, newest first; SQLite (3.25+) and PostgreSQL both have it.
        const string Sql = "SELECT task_id, started_at, finished_at FROM ("
            + "SELECT t.task_id, t.started_at, t.finished_at, ROW_NUMBER() OVER (PARTITION BY t.task_id ORDER BY t.started_at DESC) AS n "
            + "FROM task_runs t JOIN executions e ON e.id = t.execution_id "
            + "WHERE e.workflow = @workflow AND t.role = 'dag' AND t.status = 'succeeded' AND t.started_at IS NOT NULL AND t.finished_at IS NOT NULL"
            + ") recent WHERE n <= @per_task";
        var rows = Read(Sql, r => (Task: r.GetString(0), Duration: TimeOrNull(r, 2)!.Value - TimeOrNull(r, 1)!.Value), ("workflow", workflow), ("per_task", perTask));
        return rows.GroupBy(r => r.Task, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<TimeSpan>)g.Select(r => r.Duration).ToList(), StringComparer.Ordinal);
    }

    public IReadOnlyList<string> Prune(DateTimeOffset before, bool dryRun = false)
    {
        // started_at first: an execution finishes after it starts, so this only narrows the rows,
        // through the index on started_at, before the exact test.
        const string Old = "started_at < @before AND status <> 'running' AND COALESCE(finished_at, started_at) < @before";
        var ids = dryRun
            ? Read($"SELECT id FROM executions WHERE {Old}", r => r.GetString(0), ("before", Time(before)))
            // One statement, so an execution that finishes meanwhile is either deleted and listed, or neither.
            : Read($"DELETE FROM executions WHERE {Old} RETURNING id", r => r.GetString(0), ("before", Time(before)));
        if (!dryRun && ids.Count > 0) lock (_gate) Guard("cannot compact", AfterPrune);
        return ids.Order(StringComparer.Ordinal).ToList();
    }

    public IReadOnlyList<ExecutionRecord> TryClaim(ExecutionRecord execution, Func<ExecutionRecord, bool> isAlive)
    {
        List<ExecutionRecord> running = [];
        InOneTransaction(() =>
        {
            LockForClaim(execution.Workflow);
            running = Read($"SELECT {ExecutionColumns} FROM executions WHERE workflow = @workflow AND status = 'running' AND id <> @id AND COALESCE(concurrency_group, '') = @group",
                ReadExecution, ("workflow", execution.Workflow), ("id", execution.Id), ("group", execution.ConcurrencyGroup ?? "")).Where(isAlive).ToList();
            if (running.Count == 0) ExecutionStarted(execution);
        });
        return running;
    }

    public string? ClaimTrigger(string key, string executionId, DateTimeOffset at)
    {
        string? first = null;
        // ON CONFLICT rather than a lock: a second claimant waits for the first one's transaction and then inserts nothing.
        InOneTransaction(() =>
        {
            Execute("INSERT INTO trigger_claims (key, execution_id, claimed_at) VALUES (@key, @execution, @at) ON CONFLICT (key) DO NOTHING",
                ("key", key), ("execution", executionId), ("at", Time(at)));
            first = Scalar("SELECT execution_id FROM trigger_claims WHERE key = @key", ("key", key)) as string;
        });
        return first == executionId ? null : first;
    }

    public int PruneTriggerClaims(DateTimeOffset before) =>
        Read("DELETE FROM trigger_claims WHERE claimed_at < @before RETURNING key", r => r.GetString(0), ("before", Time(before))).Count;

    public void InOneTransaction(Action writes)
    {
        lock (_gate)
        {
            if (_transaction is not null) { writes(); return; }
            _transaction = Guard("cannot write to", () => _connection.BeginTransaction());
            try
            {
                writes();
                Guard("cannot write to", _transaction.Commit);
            }
            finally
            {
                _transaction.Dispose();
                _transaction = null;
            }
        }
    }

    public IReadOnlyList<ExecutionRecord> History(HistoryQuery query)
    {
        var where = new List<string>();
        var parameters = new List<(string, object?)>();
        if (query.Workflow is { } w) { where.Add("workflow = @workflow"); parameters.Add(("workflow", w)); }
        if (query.Status is { } s) { where.Add("status = @status"); parameters.Add(("status", s)); }
        if (query.Since is { } since) { where.Add("started_at >= @since"); parameters.Add(("since", Time(since))); }
        parameters.Add(("limit", query.Limit));
        var sql = $"SELECT {ExecutionColumns} FROM executions"
            + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") + " ORDER BY started_at DESC, id DESC LIMIT @limit";
        return Read(sql, ReadExecution, parameters.ToArray());
    }

    public ExecutionDetail? Find(string executionId)
    {
        var matches = Read($"SELECT {ExecutionColumns} FROM executions WHERE id LIKE @prefix ESCAPE '\\' ORDER BY id LIMIT 2",
            ReadExecution, ("prefix", executionId.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%"));
        if (matches.Count != 1) return null;
        var id = matches[0].Id;
        var tasks = Read(
            "SELECT execution_id, instance_id, task_id, role, status, started_at, finished_at, attempts, exit_code, error, reason, outputs, output_excerpt, stdout_log, stderr_log, process_id, process_start FROM task_runs WHERE execution_id = @id ORDER BY COALESCE(started_at, '9'), instance_id",
            r => new TaskRunRecord
            {
                ExecutionId = r.GetString(0), InstanceId = r.GetString(1), TaskId = r.GetString(2), Role = r.GetString(3), Status = r.GetString(4),
                StartedAt = TimeOrNull(r, 5), FinishedAt = TimeOrNull(r, 6), Attempts = r.GetInt32(7), ExitCode = r.IsDBNull(8) ? null : r.GetInt32(8),
                Error = Text(r, 9), Reason = Text(r, 10), Outputs = Text(r, 11), OutputExcerpt = Text(r, 12), StdoutLog = Text(r, 13), StderrLog = Text(r, 14),
                ProcessId = r.IsDBNull(15) ? null : r.GetInt32(15), ProcessStart = Text(r, 16),
            }, ("id", id));
        var attempts = Read(
            "SELECT execution_id, instance_id, number, status, started_at, finished_at, exit_code, error FROM attempts WHERE execution_id = @id ORDER BY instance_id, number",
            r => new AttemptRow(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetString(3), TimeOrNull(r, 4)!.Value, TimeOrNull(r, 5)!.Value,
                r.IsDBNull(6) ? null : r.GetInt32(6), Text(r, 7)), ("id", id));
        return new ExecutionDetail(matches[0], tasks, attempts) { NotificationAttempts = NotificationAttempts(id) };
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values) command.Dispose();
        _connection.Dispose();
        GC.SuppressFinalize(this);
    }

    private static ExecutionRecord ReadExecution(DbDataReader r) => new()
    {
        Id = r.GetString(0), Workflow = r.GetString(1), File = Text(r, 2), Version = Text(r, 3), ContentHash = Text(r, 4), Trigger = r.GetString(5),
        Parameters = Text(r, 6), Status = r.GetString(7), StartedAt = TimeOrNull(r, 8)!.Value, FinishedAt = TimeOrNull(r, 9), Error = Text(r, 10),
        Pid = r.IsDBNull(11) ? null : r.GetInt32(11), Host = Text(r, 12), TriggerData = Text(r, 13), ConcurrencyGroup = Text(r, 14),
    };

    /// <summary>Runs a statement in the current transaction, if any.</summary>
    protected void Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        lock (_gate) Guard("cannot write to", () => Use(sql, parameters, command => command.ExecuteNonQuery()));
    }

    /// <summary>The first column of the first row.</summary>
    protected object? Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        lock (_gate) return Guard("cannot read", () => Use(sql, parameters, command => command.ExecuteScalar()));
    }

    private List<T> Read<T>(string sql, Func<DbDataReader, T> map, params (string Name, object? Value)[] parameters)
    {
        lock (_gate)
            return Guard("cannot read", () => Use(sql, parameters, command =>
            {
                using var reader = command.ExecuteReader();
                var rows = new List<T>();
                while (reader.Read()) rows.Add(map(reader));
                return rows;
            }));
    }

    /// <summary>
    /// Whether to keep one command per statement and reuse it. SQLite then compiles each statement
    /// once. PostgreSQL must not: with Npgsql's automatic preparation, a reused command whose
    /// parameters were replaced silently lost writes (seen in the contract tests), so it gets a
    /// fresh command each time and Npgsql's own statement cache does the preparing.
    /// </summary>
    protected virtual bool ReuseCommands => true;

    private T Use<T>(string sql, (string Name, object? Value)[] parameters, Func<DbCommand, T> run)
    {
        if (!ReuseCommands)
        {
            using var fresh = Create(sql);
            Bind(fresh, parameters);
            return run(fresh);
        }
        if (!_commands.TryGetValue(sql, out var command)) _commands[sql] = command = Create(sql);
        Bind(command, parameters);
        return run(command);
    }

    private DbCommand Create(string sql)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private void Bind(DbCommand command, (string Name, object? Value)[] parameters)
    {
        command.Transaction = _transaction;
        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
    }

    private void Guard(string doing, Action action) => Guard<bool>(doing, () => { action(); return true; });

    private T Guard<T>(string doing, Func<T> action)
    {
        try { return action(); }
        catch (DbException e) { throw new StateStoreException(Describe(e, doing), e); }
    }

    /// <summary>Round-trip ISO 8601 in UTC: sorts as text, reads back exactly.</summary>
    private static string? Time(DateTimeOffset? t) => t?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset? TimeOrNull(DbDataReader r, int i) =>
        r.IsDBNull(i) ? null : DateTimeOffset.Parse(r.GetString(i), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static string? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
