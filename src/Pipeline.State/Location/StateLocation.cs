namespace Pipeline.State;

/// <summary>
/// Where runs are kept, for every program that records or reads them (`workflow` and build projects
/// alike, so a build project's runs show in `workflow history`): on the PostgreSQL server named by
/// <c>WORKFLOW_POSTGRES</c> when that is set (a connection string or a <c>postgresql://</c> URL; an
/// environment variable because it usually holds a password, which must not show in <c>ps</c> or
/// shell history), else in <c>&lt;state-dir&gt;/state.db</c>. Reports and logs stay under the state
/// directory either way.
/// </summary>
public static class StateLocation
{
    public const string PostgresVariable = "WORKFLOW_POSTGRES";

    /// <summary>The state directory when none is given, relative to the current directory.</summary>
    public const string DefaultDirectory = ".workflow";

    public static string DatabasePath(string stateDirectory) => Path.Combine(stateDirectory, "state.db");

    public static string? PostgresConnection => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } s ? s : null;

    /// <summary>No run was ever recorded here: no server configured and no database file.</summary>
    public static bool NothingRecorded(string stateDirectory) => PostgresConnection is null && !File.Exists(DatabasePath(stateDirectory));

    /// <summary>Opens (and creates or migrates) the configured store.</summary>
    /// <exception cref="StateStoreException">It cannot be opened; the message says which store and why.</exception>
    public static RelationalStateStore Open(string stateDirectory)
    {
        if (PostgresConnection is not { } connection) return SqliteStateStore.Open(DatabasePath(stateDirectory));
        try { return PostgresStateStore.Open(connection); }
        catch (StateStoreException e) { throw new StateStoreException($"{e.Message} (the connection string comes from {PostgresVariable})", e.InnerException); }
    }

    /// <summary>
    /// The database a scheduler keeps its schedule in beside the runs (Quartz's tables in the same
    /// database as the state store): the SQLite file, or the PostgreSQL server, as an ADO.NET
    /// connection string.
    /// </summary>
    public static (bool Postgres, string ConnectionString) Database(string stateDirectory) => PostgresConnection is { } connection
        ? (true, PostgresStateStore.Parse(connection).ConnectionString)
        : (false, new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(DatabasePath(stateDirectory)), DefaultTimeout = 30 }.ToString());

    /// <summary>
    /// XXH128 (32 hex digits) of a definition file, to tell a changed file on resume; null when it
    /// cannot be read. Not SHA-256 as before: it tells a changed file as well (nobody forges a
    /// workflow file against their own resume), and SHA-256 loaded OpenSSL into every run, about a
    /// tenth of the CPU a short run spends in its own code. Hashes recorded before are still compared
    /// (<see cref="SameContent"/>).
    /// </summary>
    public static string? HashOf(string path)
    {
        try { return Pipeline.Engine.Caching.ContentHash.OfFile(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>Whether the file still has the recorded hash (either kind: 64 hex digits are SHA-256, recorded by earlier versions).</summary>
    public static bool SameContent(string path, string recorded)
    {
        if (recorded.Length != 64) return HashOf(path) == recorded;
        try { return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))).Equals(recorded, StringComparison.OrdinalIgnoreCase); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>The name of a recorded hash's algorithm, for display.</summary>
    public static string HashAlgorithm(string recorded) => recorded.Length == 64 ? "sha256" : "xxh128";
}
