using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Pipeline.Engine.Executors.Sql;

/// <summary>
/// A sql task's <c>migrations</c>: the folder's <c>*.sql</c> files in name order, each applied once and
/// recorded in <c>pipeline_migrations</c> (file, SHA-256 checksum, applied_at). Each file runs in a
/// transaction of its own: a failing file is rolled back whole, its failing statement's line is
/// reported, and no later file is applied. An applied file that has changed since is an error (a
/// database and its scripts that disagree), unless <c>allow_changed</c> says to record its new checksum.
/// </summary>
internal static class SqlMigrations
{
    private const string Table = """
        CREATE TABLE IF NOT EXISTS pipeline_migrations (
            file TEXT PRIMARY KEY,
            checksum TEXT NOT NULL,
            applied_at TEXT NOT NULL
        )
        """;

    public sealed record Report(IReadOnlyList<string> Applied, IReadOnlyList<string> AlreadyApplied, string? Error);

    public static IReadOnlyList<string> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*.sql").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()!;

    /// <summary>What <see cref="ApplyAsync"/> would do, read without writing: files not applied yet, and applied files changed since.</summary>
    public sealed record Pending(IReadOnlyList<string> Files, IReadOnlyList<string> Changed);

    /// <summary>Reads <c>pipeline_migrations</c> (when it exists) and compares it with the folder; writes nothing.</summary>
    public static async Task<Pending> PendingAsync(DbConnection connection, string folder, CancellationToken cancellationToken)
    {
        // Nothing is created: a database that never ran migrations has no table yet.
        await using (var exists = connection.CreateCommand())
        {
            exists.CommandText = connection is SqliteConnection
                ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'pipeline_migrations'"
                : "SELECT count(*) FROM information_schema.tables WHERE table_name = 'pipeline_migrations' AND table_schema = ANY (current_schemas(false))";
            if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) == 0)
                return new Pending(Files(folder), []);
        }
        var applied = await AppliedAsync(connection, cancellationToken).ConfigureAwait(false);
        var pending = new List<string>();
        var changed = new List<string>();
        foreach (var file in Files(folder))
        {
            if (!applied.TryGetValue(file, out var recorded)) pending.Add(file);
            else if (recorded != Checksum(await File.ReadAllTextAsync(Path.Combine(folder, file), cancellationToken).ConfigureAwait(false))) changed.Add(file);
        }
        return new Pending(pending, changed);
    }

    /// <summary>The applied files and their checksums.</summary>
    private static async Task<Dictionary<string, string>> AppliedAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT file, checksum FROM pipeline_migrations";
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) applied[reader.GetString(0)] = reader.GetString(1);
        return applied;
    }

    private static string Checksum(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();

    public static async Task<Report> ApplyAsync(DbConnection connection, string folder, bool allowChanged, Action<string> log, CancellationToken cancellationToken)
    {
        await Execute(connection, null, Table, cancellationToken).ConfigureAwait(false);
        var applied = await AppliedAsync(connection, cancellationToken).ConfigureAwait(false);

        var done = new List<string>();
        var already = new List<string>();
        foreach (var file in Files(folder))
        {
            var path = Path.Combine(folder, file);
            var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            var checksum = Checksum(text);
            if (applied.TryGetValue(file, out var recorded))
            {
                if (recorded != checksum)
                {
                    if (!allowChanged)
                        return new Report(done, already, $"{path}: was changed after it was applied (checksum {recorded[..12]}… then, {checksum[..12]}… now); " +
                            "put the change in a new migration file, or set allow_changed: true to record the new checksum without applying it again");
                    await Execute(connection, null, "UPDATE pipeline_migrations SET checksum = @checksum WHERE file = @file", cancellationToken, ("checksum", checksum), ("file", file)).ConfigureAwait(false);
                    log($"{file}: changed since it was applied; new checksum recorded, not applied again (allow_changed)");
                }
                already.Add(file);
                continue;
            }

            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var (offset, statement) = (0, text);
            try
            {
                if (connection is SqliteConnection sqlite)
                {
                    // SQLite says which statement failed only when each runs alone: read the script one
                    // statement at a time, as SQLite splits it, running each before reading the next
                    // (a statement may use a table the one before it creates).
                    var rest = text;
                    while (rest.Trim().Length > 0)
                    {
                        offset = text.Length - rest.Length;
                        statement = rest;
                        var rc = SQLitePCL.raw.sqlite3_prepare_v2(sqlite.Handle, rest, out var prepared, out var tail);
                        prepared?.Dispose();
                        if (rc != SQLitePCL.raw.SQLITE_OK) throw new SqliteException(SQLitePCL.raw.sqlite3_errmsg(sqlite.Handle).utf8_to_string(), rc);
                        statement = tail is null ? rest : rest[..^tail.Length];
                        if (statement.Trim().Length > 0) await Execute(connection, transaction, statement, cancellationToken).ConfigureAwait(false);
                        if (tail is null || tail.Length >= rest.Length) break;
                        rest = tail;
                    }
                }
                else
                {
                    // PostgreSQL: one statement at a time, so a failure names its statement (Npgsql does not say which of a batch failed).
                    foreach (var (start, end) in SqlScript.Statements(text))
                    {
                        (offset, statement) = (start, text[start..end]);
                        await Execute(connection, transaction, statement, cancellationToken).ConfigureAwait(false);
                    }
                }
                await Execute(connection, transaction, "INSERT INTO pipeline_migrations (file, checksum, applied_at) VALUES (@file, @checksum, @at)", cancellationToken,
                    ("file", file), ("checksum", checksum), ("at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture))).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbException e) when (!cancellationToken.IsCancellationRequested)
            {
                await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                // A PostgreSQL syntax error's position counts from the start of its statement.
                var at = e is PostgresException { Position: > 0 } p ? offset + p.Position - 1 : offset + (connection is SqliteConnection ? Leading(statement) : 0);
                var line = text.AsSpan(0, Math.Min(at, text.Length)).Count('\n') + 1;
                var message = e is PostgresException pg ? $"{pg.MessageText} (SQLSTATE {pg.SqlState})" : e is SqliteException s ? s.Message : e.Message;
                var later = Files(folder).SkipWhile(f => f != file).Skip(1).Count();
                return new Report(done, already, $"{path}({line}): {message}; this file was rolled back{(later > 0 ? $" and the {later} after it were not applied" : "")}");
            }
            log($"{file}: applied");
            done.Add(file);
        }
        return new Report(done, already, null);
    }

    /// <summary>Where a statement's text starts after blanks and comments, so its line is the statement's own.</summary>
    private static int Leading(string statement)
    {
        var i = 0;
        while (i < statement.Length)
        {
            if (char.IsWhiteSpace(statement[i])) i++;
            else if (statement.AsSpan(i).StartsWith("--")) { var end = statement.IndexOf('\n', i); i = end < 0 ? statement.Length : end + 1; }
            else break;
        }
        return i;
    }

    private static async Task Execute(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.CommandTimeout = 0;
        foreach (var (name, value) in parameters) SqlConnections.Bind(command, name, value);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
