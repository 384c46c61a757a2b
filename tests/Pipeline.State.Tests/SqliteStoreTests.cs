using Microsoft.Data.Sqlite;

namespace Pipeline.State.Tests;

/// <summary>What only the SQLite store does; the rest is in <see cref="StoreContract"/>.</summary>
public sealed class SqliteStoreTests : IDisposable
{
    private readonly SqliteBackend _backend = new();

    public void Dispose() => _backend.Dispose();

    [Fact]
    public void The_file_is_in_wal_mode_with_full_syncs_and_passes_the_integrity_check()
    {
        using (var store = SqliteStateStore.Open(_backend.Path))
        {
            Assert.True(store.IntegrityCheck());
            Assert.Equal(2, store.SyncLevel); // FULL once the new file has its schema (created with NORMAL)
        }
        using (var store = SqliteStateStore.Open(_backend.Path)) Assert.Equal(2, store.SyncLevel); // and when it exists already
        using var connection = new SqliteConnection($"Data Source={_backend.Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_a_clear_error()
    {
        File.WriteAllText(_backend.Path, "this is not SQLite, just text that happens to be here");
        var error = Assert.Throws<StateStoreException>(() => SqliteStateStore.Open(_backend.Path));
        Assert.Contains("is not a Pipeline state database (or it is damaged)", error.Message);
    }

    [Fact]
    public void A_store_locked_by_another_writer_is_a_clear_error_not_a_hang()
    {
        using (SqliteStateStore.Open(_backend.Path)) { }
        using var holder = new SqliteConnection($"Data Source={_backend.Path};Pooling=False");
        holder.Open();
        using var transaction = holder.BeginTransaction();   // BEGIN IMMEDIATE: holds the write lock
        using var store = SqliteStateStore.Open(_backend.Path);
        var error = Assert.Throws<StateStoreException>(() => store.TryClaim(
            new ExecutionRecord { Id = "x", Workflow = "w", Status = "running", StartedAt = DateTimeOffset.UtcNow }, _ => true));
        Assert.Contains("is locked by another process", error.Message);
    }

    [Fact]
    public void The_output_excerpt_keeps_the_last_lines_and_at_most_2000_characters()
    {
        var many = string.Join('\n', Enumerable.Range(1, 100).Select(i => $"line {i}"));
        var excerpt = StateRecorder.Excerpt(many, "")!;
        Assert.StartsWith("line 81", excerpt);
        Assert.EndsWith("line 100", excerpt);
        Assert.Equal(2000, StateRecorder.Excerpt(new string('x', 5000), "")!.Length);
        Assert.Null(StateRecorder.Excerpt("", ""));
    }
}
