using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Pipeline.State;

/// <summary>
/// The default store: one SQLite file (<c>.workflow/state.db</c>) in WAL mode with full syncs, so a
/// write is on disk when the call returns and readers (<c>workflow history</c> while a run goes on)
/// never block the writer. The schema version is SQLite's <c>PRAGMA user_version</c>. A claim
/// takes SQLite's write lock at once (<c>BEGIN IMMEDIATE</c>, which is what a non-deferred
/// transaction is), so two processes cannot both see the workflow free.
/// </summary>
public sealed class SqliteStateStore : RelationalStateStore
{
    private SqliteStateStore(SqliteConnection connection, string path) : base(connection, path) { }

    /// <summary>The database file.</summary>
    public string Path => Location;

    /// <exception cref="StateStoreException">The file is not a database, is newer than this version, or cannot be opened.</exception>
    public static SqliteStateStore Open(string path)
    {
        Pipeline.Engine.Executors.Sql.SqliteLibrary.PreferTheProgramsFolder();
        var full = System.IO.Path.GetFullPath(path);
        SqliteConnection? connection = null;
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            var fresh = !File.Exists(full);
            connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Pooling = false }.ToString());
            connection.Open();
            var store = new SqliteStateStore(connection, full);
            try
            {
                // A new file is switched to WAL and gets its schema with syncs only where SQLite needs
                // them to stay sound (NORMAL): a crash then loses at most the schema, which the next run
                // creates again. A sync costs a tenth of a millisecond or more on a virtual machine, and
                // a fresh store took eleven in a one-task run. Then every commit is synced (FULL), as
                // the store promises.
                store.Execute($"PRAGMA synchronous = {(fresh ? "NORMAL" : "FULL")}; PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;");
                store.Migrate();
                if (fresh) store.Execute("PRAGMA synchronous = FULL;");
                return store;
            }
            catch
            {
                store.Dispose();
                throw;
            }
        }
        catch (SqliteException e)
        {
            connection?.Dispose();
            throw new StateStoreException(Describe(e, full, "cannot open the state database"), e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StateStoreException($"cannot create the state database {full}: {e.Message}", e);
        }
    }

    /// <summary>SQLite's <c>PRAGMA synchronous</c> on this connection (2 is FULL), for tests.</summary>
    internal int SyncLevel => Convert.ToInt32(Scalar("PRAGMA synchronous"), CultureInfo.InvariantCulture);

    protected override int ReadVersion() => Convert.ToInt32(Scalar("PRAGMA user_version"), CultureInfo.InvariantCulture);

    protected override void WriteVersion(int version) => Execute($"PRAGMA user_version = {version}");

    /// <summary>A WAL file that grew during a big delete is cut back, so pruning gives the disk space back.</summary>
    protected override void AfterPrune() => Execute("PRAGMA wal_checkpoint(TRUNCATE)");

    /// <summary>True when SQLite finds the file sound (<c>PRAGMA integrity_check</c>).</summary>
    public bool IntegrityCheck() => (string?)Scalar("PRAGMA integrity_check") == "ok";

    protected override string Describe(DbException e, string doing) =>
        e is SqliteException s ? Describe(s, Path, doing + " the state database") : $"{doing} the state database {Path}: {e.Message}";

    /// <summary>SQLite's result codes in words: 5 busy, 6 locked, 11 corrupt, 13 full, 26 not a database.</summary>
    private static string Describe(SqliteException e, string path, string doing) => e.SqliteErrorCode switch
    {
        11 or 26 => $"{path} is not a Pipeline state database (or it is damaged): move it away to start a new one",
        5 or 6 => $"{path} is locked by another process: wait for it, or stop it",
        13 => $"the disk holding {path} is full",
        _ => $"{doing} {path}: {e.Message}",
    };
}
