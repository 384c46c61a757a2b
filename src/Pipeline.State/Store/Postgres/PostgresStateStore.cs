using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using Npgsql;

namespace Pipeline.State;

/// <summary>
/// The store on a PostgreSQL server, for teams that share history between machines or run
/// <c>workflow serve</c> on several nodes. Same tables as SQLite (<see cref="Schema"/>), created in
/// the connection's schema (the first of its <c>search_path</c>), with the version in a one-row
/// table <c>pipeline_schema_version</c>. Commits are durable when they return (PostgreSQL's default
/// <c>synchronous_commit</c>). Claims and migrations serialise on transaction-scoped advisory locks,
/// which the server drops when the holder's connection dies: a crash leaves no lock behind.
/// </summary>
public sealed class PostgresStateStore : RelationalStateStore
{
    // The first key of every advisory lock the store takes, so ours never meet another program's.
    private const int LockSpace = 0x5049_5045; // "PIPE"

    private PostgresStateStore(NpgsqlConnection connection, string location) : base(connection, location) { }

    /// <param name="connectionString">
    /// An Npgsql connection string (<c>Host=db;Username=ci;Password=...;Database=pipeline</c>) or a
    /// URL (<c>postgresql://ci:secret@db:5432/pipeline</c>).
    /// </param>
    /// <exception cref="StateStoreException">The string is not valid, the server cannot be reached or refuses the login, or the schema is newer.</exception>
    public static PostgresStateStore Open(string connectionString)
    {
        var builder = Parse(connectionString);
        var location = Describe(builder);
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            connection.Open();
        }
        catch (Exception e) when (e is DbException or TimeoutException)
        {
            connection.Dispose();
            throw new StateStoreException(e is DbException db ? Describe(db, location, "cannot connect to") : $"cannot connect to {location}: {e.Message}", e);
        }
        var store = new PostgresStateStore(connection, location);
        try
        {
            store.Migrate();
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>The connection string with our defaults where the user set nothing: statements prepared once, an application name DBAs can see.</summary>
    internal static NpgsqlConnectionStringBuilder Parse(string connectionString)
    {
        try
        {
            // One reader of connection strings and URLs for the store and for sql tasks.
            var builder = Pipeline.Engine.Executors.Sql.SqlConnections.Postgres(connectionString);
            if (builder.MaxAutoPrepare == 0) builder.MaxAutoPrepare = 32;
            return builder;
        }
        catch (ArgumentException e) { throw new StateStoreException(e.Message, e); }
    }

    private static string Describe(NpgsqlConnectionStringBuilder b) =>
        $"PostgreSQL {b.Host}:{b.Port.ToString(CultureInfo.InvariantCulture)}/{(string.IsNullOrEmpty(b.Database) ? b.Username : b.Database)}";

    /// <inheritdoc/>
    protected override bool ReuseCommands => false;

    protected override int ReadVersion()
    {
        if (Scalar("SELECT to_regclass('pipeline_schema_version') IS NOT NULL") is not true) return 0;
        return Convert.ToInt32(Scalar("SELECT version FROM pipeline_schema_version") ?? 0, CultureInfo.InvariantCulture);
    }

    protected override void WriteVersion(int version)
    {
        Execute("CREATE TABLE IF NOT EXISTS pipeline_schema_version (version INTEGER NOT NULL)");
        Execute("DELETE FROM pipeline_schema_version");
        Execute("INSERT INTO pipeline_schema_version (version) VALUES (@version)", ("version", version));
    }

    // Keyed by schema, so stores in two schemas of one database (one per team, or per test) never wait on each other.
    protected override void LockForMigration() =>
        Execute("SELECT pg_advisory_xact_lock(@space, hashtext(current_schema() || ':migrate'))", ("space", LockSpace));

    protected override void LockForClaim(string workflow) =>
        Execute("SELECT pg_advisory_xact_lock(@space, hashtext(current_schema() || ':claim:' || @workflow))", ("space", LockSpace), ("workflow", workflow));

    protected override string Describe(DbException e, string doing) => Describe(e, Location, doing);

    /// <summary>PostgreSQL's SQLSTATE codes and Npgsql's socket errors in words.</summary>
    private static string Describe(DbException e, string location, string doing) => e switch
    {
        PostgresException { SqlState: "28P01" or "28000" } p => $"{location} refused the login: {p.MessageText}; check the user and password",
        PostgresException { SqlState: "3D000" } p => $"{location}: {p.MessageText}; create it, or name another database",
        PostgresException { SqlState: "42501" } p => $"{location}: {p.MessageText}; the user needs the right to create tables in its schema",
        PostgresException { SqlState: "53100" } => $"the disk of the PostgreSQL server {location} is full",
        PostgresException { SqlState: "57P01" or "57P02" or "57P03" } p => $"{location} is shutting down or starting up: {p.MessageText}",
        PostgresException p => $"{doing} {location}: {p.MessageText} (SQLSTATE {p.SqlState})",
        NpgsqlException { InnerException: SocketException s } => $"cannot reach {location}: {s.Message}; is the server running and listening on that address?",
        NpgsqlException { InnerException: TimeoutException } => $"cannot reach {location}: no answer in time",
        NpgsqlException { InnerException: IOException io } => $"lost the connection to {location}: {io.Message}",
        _ => $"{doing} {location}: {e.Message}",
    };
}
