#nullable enable

using Npgsql;

namespace Pipeline.Testing;

/// <summary>
/// A schema of its own (dropped afterwards) on the server named by PIPELINE_TEST_POSTGRES, which
/// tests/run sets after starting PostgreSQL, so tests running side by side never see each other's
/// rows. Without the variable the tests that need it fail rather than skip: the PostgreSQL store is
/// only covered when they run. Linked into the store's tests, the CLI's tests and the store bench.
/// </summary>
public sealed class PostgresTestSchema : IDisposable
{
    public const string Variable = "PIPELINE_TEST_POSTGRES";

    private readonly string _server;
    private readonly string _schema = "test_" + Guid.NewGuid().ToString("N")[..16];

    public PostgresTestSchema()
    {
        _server = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } s ? s
            : throw new InvalidOperationException($"The PostgreSQL tests need a server: run them with tests/run (which starts one), or set {Variable} to a connection string.");
        Run(_server, $"CREATE SCHEMA {_schema}");
    }

    /// <summary>Connects with this schema first on the search path, so the store's tables land in it.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(_server) { SearchPath = _schema }.ConnectionString;

    public void Sql(string sql) => Run(ConnectionString, sql);

    public object? Scalar(string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return command.ExecuteScalar();
    }

    /// <summary>
    /// PostgreSQL has no whole-database check a user can run (like SQLite's integrity_check); the
    /// store's foreign keys must hold instead: no task or notification without its execution, no
    /// attempt without its task.
    /// </summary>
    public bool NoOrphanRows() => Convert.ToInt64(Scalar(
        "SELECT (SELECT count(*) FROM task_runs t WHERE NOT EXISTS (SELECT FROM executions e WHERE e.id = t.execution_id))"
        + " + (SELECT count(*) FROM attempts a WHERE NOT EXISTS (SELECT FROM task_runs t WHERE t.execution_id = a.execution_id AND t.instance_id = a.instance_id))"
        + " + (SELECT count(*) FROM notification_deliveries n WHERE NOT EXISTS (SELECT FROM executions e WHERE e.id = n.execution_id))")) == 0;

    private static void Run(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        Run(_server, $"DROP SCHEMA {_schema} CASCADE");
    }
}
