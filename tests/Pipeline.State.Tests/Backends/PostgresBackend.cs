using Pipeline.Testing;

namespace Pipeline.State.Tests;

/// <summary>The store in a schema of its own on the test server (see <see cref="PostgresTestSchema"/>).</summary>
public sealed class PostgresBackend : StoreBackend
{
    private readonly PostgresTestSchema _schema = new();

    public string ConnectionString => _schema.ConnectionString;

    public override RelationalStateStore Open() => PostgresStateStore.Open(ConnectionString);

    public override void Sql(string sql) => _schema.Sql(sql);

    public override long Count(string sql) => Convert.ToInt64(_schema.Scalar(sql));

    public override void SetVersion(int version) =>
        Sql($"CREATE TABLE IF NOT EXISTS pipeline_schema_version (version INTEGER NOT NULL); DELETE FROM pipeline_schema_version; INSERT INTO pipeline_schema_version VALUES ({version})");

    public override bool IntegrityCheck() => _schema.NoOrphanRows();

    public override void Dispose() => _schema.Dispose();
}
