using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Pipeline.Core.Model;
using Pipeline.Engine.Events;
using Pipeline.Engine.Json;

namespace Pipeline.Engine.Executors.Sql;

/// <summary>
/// A sql task over ADO.NET (Npgsql, Microsoft.Data.Sqlite). The query (or the file's text) is sent as
/// written: <c>${...}</c> is never spliced into SQL; values reach it only as named parameters
/// (<c>@name</c>), bound as real parameters (PostgreSQL infers their types from the query). Outputs:
/// <c>rows</c> (the first result's rows as a JSON array of objects, at most <see cref="MaxRows"/>),
/// <c>row_count</c>, <c>affected</c>, and each column of the first row by name; the log shows the
/// result as a table. <c>transaction: true</c> runs it in one transaction that a failure, a timeout or
/// a cancellation rolls back. Errors name the database, never the connection string.
/// </summary>
internal sealed class SqlExecutor : ITaskExecutor
{
    public const int MaxRows = 1000;
    private const int LoggedRows = 20;

    public async Task<ExecutionOutcome> ExecuteAsync(TaskInvocation invocation, CancellationToken cancellationToken)
    {
        var task = (SqlTask)invocation.Task;
        SqlConnections.Target target;
        try { target = SqlConnections.Create(task.Provider?.Value, invocation.Render(task.Connection), invocation.WorkflowDirectory); }
        catch (ArgumentException e) { return ExecutionOutcome.Fail(e.Message); }
        await using var connection = target.Connection;
        if (task.Migrations is { } migrations) return await MigrateAsync(invocation, task, target, invocation.Render(migrations), cancellationToken).ConfigureAwait(false);

        string sql;
        if (task.File is { } file)
        {
            var path = Path.GetFullPath(Path.Combine(invocation.WorkflowDirectory, invocation.Render(file)));
            try { sql = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ExecutionOutcome.Fail($"cannot read the sql file {path}: {e.Message}"); }
        }
        else sql = task.Query?.Value ?? "";

        DbTransaction? transaction = null;
        try
        {
            await using var interrupt = await SqlConnections.OpenAsync(connection, cancellationToken).ConfigureAwait(false);
            if (task.Transaction) transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = transaction;
            command.CommandTimeout = 0; // the task's timeout governs, through the token
            foreach (var p in task.Parameters) SqlConnections.Bind(command, p.Name.Value, invocation.Render(p.Value), inferType: true);

            var result = await ReadAsync(command, cancellationToken).ConfigureAwait(false);
            if (transaction is not null) await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);

            foreach (var line in Table(result)) invocation.Output(OutputStream.Stdout, line);
            var outputs = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["rows"] = PipelineJson.Serialize(result.Rows.Select(r => result.Columns.Zip(r).ToDictionary(c => c.First, c => c.Second)).ToList()),
                ["row_count"] = result.RowCount.ToString(CultureInfo.InvariantCulture),
                ["affected"] = result.Affected.ToString(CultureInfo.InvariantCulture),
            };
            if (result.Rows.Count > 0)
                for (var i = 0; i < result.Columns.Count; i++) outputs.TryAdd(result.Columns[i], Text(result.Rows[0][i]));
            return new ExecutionOutcome { Succeeded = true, ExitCode = 0, Outputs = outputs };
        }
        catch (DbException e) when (!cancellationToken.IsCancellationRequested)
        {
            await RollBackAsync(transaction).ConfigureAwait(false);
            return ExecutionOutcome.Fail(SqlConnections.Describe(e, target.Location) + (transaction is null ? "" : "; the transaction was rolled back"));
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            await RollBackAsync(transaction).ConfigureAwait(false);
            throw new OperationCanceledException(cancellationToken);
        }
        finally
        {
            if (transaction is not null) await transaction.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary><c>migrations</c>: applies the folder's pending files (see <see cref="SqlMigrations"/>); outputs <c>applied</c> (how many) and <c>applied_files</c>.</summary>
    private static async Task<ExecutionOutcome> MigrateAsync(TaskInvocation invocation, SqlTask task, SqlConnections.Target target, string folder, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(Path.Combine(invocation.WorkflowDirectory, folder));
        if (!Directory.Exists(path)) return ExecutionOutcome.Fail($"the migrations folder {path} does not exist");
        try
        {
            await using var interrupt = await SqlConnections.OpenAsync(target.Connection, cancellationToken).ConfigureAwait(false);
            var report = await SqlMigrations.ApplyAsync(target.Connection, path, task.AllowChanged, line => invocation.Output(OutputStream.Stdout, line), cancellationToken).ConfigureAwait(false);
            invocation.Output(OutputStream.Stdout, $"{report.Applied.Count} migration(s) applied, {report.AlreadyApplied.Count} already applied ({target.Location})");
            var outputs = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["applied"] = report.Applied.Count.ToString(CultureInfo.InvariantCulture),
                ["applied_files"] = PipelineJson.Serialize(report.Applied.ToList()),
            };
            return report.Error is { } error
                ? new ExecutionOutcome { Succeeded = false, Error = error, Outputs = outputs }
                : new ExecutionOutcome { Succeeded = true, ExitCode = 0, Outputs = outputs };
        }
        catch (DbException e) when (!cancellationToken.IsCancellationRequested)
        {
            return ExecutionOutcome.Fail(SqlConnections.Describe(e, target.Location));
        }
    }

    private sealed record Result(List<string> Columns, List<object?[]> Rows, int RowCount, int Affected);

    /// <summary>The first result that has columns (its rows, up to <see cref="MaxRows"/>, and how many there were), and the rows the statements changed.</summary>
    private static async Task<Result> ReadAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var columns = new List<string>();
        var rows = new List<object?[]>();
        var count = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var first = true;
        do
        {
            if (reader.FieldCount == 0 || !first) continue;
            first = false;
            for (var i = 0; i < reader.FieldCount; i++) columns.Add(reader.GetName(i));
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                count++;
                if (rows.Count >= MaxRows) continue;
                var row = new object?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++) row[i] = await reader.IsDBNullAsync(i, cancellationToken).ConfigureAwait(false) ? null : Plain(reader.GetValue(i));
                rows.Add(row);
            }
        }
        while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
        await reader.CloseAsync().ConfigureAwait(false);
        return new Result(columns, rows, count, Math.Max(0, reader.RecordsAffected));
    }

    /// <summary>A value as JSON holds it: numbers and booleans as themselves, times in ISO 8601, the rest as text.</summary>
    private static object? Plain(object value) => value switch
    {
        DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("O", CultureInfo.InvariantCulture),
        byte[] b => Convert.ToBase64String(b),
        bool or string or long or int or short or byte or double or float or decimal => value,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private static string Text(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>The result as a table for the log: the first rows, then how many more.</summary>
    private static IEnumerable<string> Table(Result result)
    {
        if (result.Columns.Count == 0)
        {
            yield return $"{result.Affected} row(s) affected";
            yield break;
        }
        var shown = result.Rows.Take(LoggedRows).Select(r => r.Select(v => Text(v).ReplaceLineEndings(" ")).ToArray()).ToList();
        var widths = result.Columns.Select((c, i) => Math.Min(40, Math.Max(c.Length, shown.Select(r => r[i].Length).DefaultIfEmpty(0).Max()))).ToArray();
        string Line(IReadOnlyList<string> cells) => string.Join(" | ", cells.Select((c, i) => (c.Length > widths[i] ? c[..(widths[i] - 1)] + "…" : c).PadRight(widths[i]))).TrimEnd();
        yield return Line(result.Columns);
        yield return string.Join("-+-", widths.Select(w => new string('-', w)));
        foreach (var row in shown) yield return Line(row);
        var note = new StringBuilder($"({result.RowCount} row{(result.RowCount == 1 ? "" : "s")}");
        if (result.RowCount > LoggedRows) note.Append($"; the first {LoggedRows} shown");
        if (result.RowCount > MaxRows) note.Append($"; the output rows holds the first {MaxRows}");
        yield return note.Append(')').ToString();
    }

    private static async Task RollBackAsync(DbTransaction? transaction)
    {
        if (transaction is null) return;
        try { await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false); }
        catch (Exception e) when (e is DbException or InvalidOperationException) { } // the connection is gone: the server rolls back on its own
    }
}
