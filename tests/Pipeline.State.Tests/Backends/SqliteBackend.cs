using Microsoft.Data.Sqlite;

namespace Pipeline.State.Tests;

public sealed class SqliteBackend : StoreBackend
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pipeline-state-").FullName;

    public string Path => System.IO.Path.Combine(_folder, "state.db");

    public override RelationalStateStore Open() => SqliteStateStore.Open(Path);

    public override void Sql(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public override long Count(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar());
    }

    public override void SetVersion(int version) => Sql($"PRAGMA user_version = {version}");

    public override bool IntegrityCheck()
    {
        using var store = SqliteStateStore.Open(Path);
        return store.IntegrityCheck();
    }

    public override void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
