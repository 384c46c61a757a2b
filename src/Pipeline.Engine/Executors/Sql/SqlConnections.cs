using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Pipeline.Engine.Executors.Sql;

/// <summary>
/// Opens the database a sql task names: PostgreSQL (a keyword connection string or a
/// <c>postgresql://user:password@host:port/db</c> URL) or SQLite (a <c>Data Source=</c> string or a file
/// path, relative to the workflow's folder). The provider is the task's <c>provider</c>, or read from
/// the connection string. What is said about a database names its host and database or its file,
/// never the connection string, which usually holds a password.
/// </summary>
public static class SqlConnections
{
    /// <summary>A connection (not opened yet) and how to name it in messages.</summary>
    internal sealed record Target(DbConnection Connection, string Location);

    /// <exception cref="ArgumentException">The connection string cannot be read; the message does not repeat it.</exception>
    internal static Target Create(string? provider, string connectionString, string workflowDirectory)
    {
        var text = connectionString.Trim();
        var postgres = provider switch
        {
            "postgres" => true,
            "sqlite" => false,
            _ => text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
                || text.Contains("Host=", StringComparison.OrdinalIgnoreCase),
        };
        if (postgres)
        {
            var b = Postgres(text);
            return new Target(new NpgsqlConnection(b.ConnectionString), $"PostgreSQL {b.Host}:{b.Port.ToString(CultureInfo.InvariantCulture)}/{b.Database ?? b.Username}");
        }
        SqliteLibrary.PreferTheProgramsFolder();
        SqliteConnectionStringBuilder sqlite;
        try { sqlite = text.Contains('=') ? new SqliteConnectionStringBuilder(text) : new SqliteConnectionStringBuilder { DataSource = text }; }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException) { throw new ArgumentException($"the SQLite connection string is not valid: {e.Message}"); }
        if (sqlite.DataSource is { Length: > 0 } file && file != ":memory:" && !Path.IsPathRooted(file)) sqlite.DataSource = Path.GetFullPath(Path.Combine(workflowDirectory, file));
        sqlite.Pooling = false;
        return new Target(new SqliteConnection(sqlite.ConnectionString), $"SQLite {sqlite.DataSource}");
    }

    /// <summary>
    /// Opens the connection and returns what interrupts it when <paramref name="cancellationToken"/>
    /// fires: SQLite runs a statement on the caller's thread and looks at no token, so it is
    /// interrupted; PostgreSQL's driver sends a cancel request itself. Dispose the result with the connection.
    /// </summary>
    internal static async Task<CancellationTokenRegistration> OpenAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection is SqliteConnection sqlite ? cancellationToken.Register(() => SQLitePCL.raw.sqlite3_interrupt(sqlite.Handle)) : default;
    }

    /// <summary>Binds <c>@name</c> as a real parameter; a PostgreSQL text value of unknown type lets the server infer it from the query.</summary>
    internal static void Bind(DbCommand command, string name, object value, bool inferType = false)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = command is NpgsqlCommand ? name : "@" + name;
        parameter.Value = value;
        if (inferType && parameter is NpgsqlParameter npgsql) npgsql.NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Unknown;
        command.Parameters.Add(parameter);
    }

    /// <summary>A keyword string or a <c>postgresql://</c> URL, as Npgsql takes it.</summary>
    /// <exception cref="ArgumentException">It cannot be read (the message never repeats it: it may hold a password).</exception>
    public static NpgsqlConnectionStringBuilder Postgres(string connectionString)
    {
        try
        {
            var text = connectionString.Trim();
            var builder = text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
                ? FromUrl(text)
                : new NpgsqlConnectionStringBuilder(text);
            if (string.IsNullOrEmpty(builder.Host)) throw new ArgumentException("it names no Host");
            if (string.IsNullOrEmpty(builder.ApplicationName)) builder.ApplicationName = "pipeline";
            return builder;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or UriFormatException or KeyNotFoundException)
        {
            throw new ArgumentException($"the PostgreSQL connection string is not valid: {e.Message}" +
                " (expected 'Host=...;Username=...;Password=...;Database=...' or 'postgresql://user:password@host:port/database')", e);
        }
    }

    private static NpgsqlConnectionStringBuilder FromUrl(string url)
    {
        var uri = new Uri(url);
        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host };
        if (uri.Port > 0) builder.Port = uri.Port;
        var user = uri.UserInfo.Split(':', 2);
        if (user[0].Length > 0) builder.Username = Uri.UnescapeDataString(user[0]);
        if (user.Length > 1) builder.Password = Uri.UnescapeDataString(user[1]);
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0) builder.Database = database;
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            builder[Uri.UnescapeDataString(parts[0])] = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "";
        }
        return builder;
    }

    /// <summary>A database's failure in words: what went wrong and where, never the connection string.</summary>
    internal static string Describe(DbException e, string location) => e switch
    {
        PostgresException { SqlState: "28P01" or "28000" } p => $"{location} refused the login: {p.MessageText}; check the user and password",
        PostgresException { SqlState: "3D000" } p => $"{location}: {p.MessageText}",
        PostgresException p => $"{location}: {p.MessageText} (SQLSTATE {p.SqlState}){(p.Position > 0 ? $" at character {p.Position}" : "")}",
        NpgsqlException { InnerException: SocketException s } => $"cannot reach {location}: {s.Message}; is the server running and listening on that address?",
        NpgsqlException { InnerException: TimeoutException } => $"cannot reach {location}: no answer in time",
        SqliteException s => $"{location}: {s.Message}",
        _ => $"{location}: {e.Message}",
    };
}
