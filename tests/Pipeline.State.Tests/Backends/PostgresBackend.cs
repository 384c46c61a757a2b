using Npgsql;

namespace Pipeline.State.Tests;

/// <summary>
/// A schema of its own (dropped afterwards) on the server named by PIPELINE_TEST_POSTGRES, which
/// tests/run sets after starting PostgreSQL. Without it these tests fail rather than skip: the
/// PostgreSQL store is only covered when they run.
/// </summary>
public sealed class PostgresBackend : StoreBackend
{
    public const string Variable = "PIPELINE_TEST_POSTGRES";

    private readonly string _server;
    private readonly string _schema = "test_" + Guid.NewGuid().ToString("N")[..16];

    public PostgresBackend()
    {
        _server = Server();
        Admin($"CREATE SCHEMA {_schema}");
    }

    /// <summary>The test server's connection string.</summary>
    public static string Server() => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } s ? s
        : throw new InvalidOperationException($"The PostgreSQL store tests need a server: run them with tests/run (which starts one), or set {Variable} to a connection string.");

    /// <summary>Connects with this schema first on the search path, so the store's tables land in it.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(_server) { SearchPath = _schema }.ConnectionString;

    public override RelationalStateStore Open() => PostgresStateStore.Open(ConnectionString);

    public override void Sql(string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    public override void SetVersion(int version) =>
        Sql($"CREATE TABLE IF NOT EXISTS pipeline_schema_version (version INTEGER NOT NULL); DELETE FROM pipeline_schema_version; INSERT INTO pipeline_schema_version VALUES ({version})");

    /// <summary>PostgreSQL has no whole-database check a user can run; the store's foreign keys must hold instead.</summary>
    public override bool IntegrityCheck()
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(
            "SELECT (SELECT count(*) FROM task_runs t WHERE NOT EXISTS (SELECT FROM executions e WHERE e.id = t.execution_id))"
            + " + (SELECT count(*) FROM attempts a WHERE NOT EXISTS (SELECT FROM task_runs t WHERE t.execution_id = a.execution_id AND t.instance_id = a.instance_id))", connection);
        return Convert.ToInt64(command.ExecuteScalar()) == 0;
    }

    private void Admin(string sql)
    {
        using var connection = new NpgsqlConnection(_server);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    public override void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        Admin($"DROP SCHEMA {_schema} CASCADE");
    }
}
