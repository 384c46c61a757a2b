using System.Data.Common;
using Pipeline.Core.Expressions;
using Pipeline.Core.Model;
using Pipeline.Engine.Running;

namespace Pipeline.Engine.Executors.Sql;

/// <summary>
/// <c>workflow run --dry-run</c>'s look at each sql task's <c>migrations</c>: which files a run would
/// apply, read from the database without writing to it. The connection string is rendered as the run
/// would render it (process environment, the workflow's and the task's env, <c>-e</c> values, secrets
/// from their variables); one that needs values only a run has (<c>${tasks...}</c>) is not checked.
/// </summary>
public static class MigrationPreview
{
    /// <summary>One sql task's migrations: the pending files, the applied files changed since, or why they could not be read.</summary>
    public sealed record TaskMigrations(string TaskId, string Folder, string? Database, IReadOnlyList<string> Pending, IReadOnlyList<string> Changed, string? Problem);

    public static async Task<IReadOnlyList<TaskMigrations>> ReadAsync(WorkflowDefinition workflow, IReadOnlyDictionary<string, string> overrides, CancellationToken cancellationToken)
    {
        var result = new List<TaskMigrations>();
        foreach (var task in workflow.Tasks.OfType<SqlTask>().Where(t => t.Migrations is not null))
            result.Add(await ReadAsync(workflow, task, overrides, cancellationToken).ConfigureAwait(false));
        return result;
    }

    private static async Task<TaskMigrations> ReadAsync(WorkflowDefinition workflow, SqlTask task, IReadOnlyDictionary<string, string> overrides, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(workflow.Path)) ?? ".";
        var context = Context(workflow, task, overrides);
        string folder, connection;
        try
        {
            folder = Path.GetFullPath(Path.Combine(directory, RunEnvironment.Render(task.Migrations!.Value, context)));
            connection = RunEnvironment.Render(task.Connection.Value, context);
        }
        catch (ExpressionException e)
        {
            return new TaskMigrations(task.Id.Value, task.Migrations!.Value, null, [], [], $"not checked: {e.Message} (known only when the workflow runs)");
        }
        if (!Directory.Exists(folder)) return new TaskMigrations(task.Id.Value, folder, null, [], [], $"the migrations folder {folder} does not exist");

        SqlConnections.Target target;
        try { target = SqlConnections.Create(task.Provider?.Value, connection, directory); }
        catch (ArgumentException e) { return new TaskMigrations(task.Id.Value, folder, null, [], [], e.Message); }
        await using var db = target.Connection;
        // A SQLite file that does not exist yet has nothing applied; opening it would create it.
        if (db is Microsoft.Data.Sqlite.SqliteConnection sqlite && sqlite.DataSource is { Length: > 0 } file && file != ":memory:" && !File.Exists(file))
            return new TaskMigrations(task.Id.Value, folder, target.Location, SqlMigrations.Files(folder), [], null);
        try
        {
            await using var interrupt = await SqlConnections.OpenAsync(db, cancellationToken).ConfigureAwait(false);
            var pending = await SqlMigrations.PendingAsync(db, folder, cancellationToken).ConfigureAwait(false);
            return new TaskMigrations(task.Id.Value, folder, target.Location, pending.Files, pending.Changed, null);
        }
        catch (DbException e)
        {
            return new TaskMigrations(task.Id.Value, folder, target.Location, [], [], SqlConnections.Describe(e, target.Location));
        }
    }

    private static ExpressionContext Context(WorkflowDefinition workflow, SqlTask task, IReadOnlyDictionary<string, string> overrides)
    {
        var secrets = workflow.Secrets
            .Select(s => (Name: s.Name.Value, Value: System.Environment.GetEnvironmentVariable(s.From)))
            .Where(s => !string.IsNullOrEmpty(s.Value))
            .ToDictionary(s => s.Name, s => s.Value!, StringComparer.Ordinal);
        var env = WorkflowValues.Environment(workflow, secrets, overrides);
        WorkflowValues.AddLevel(env, task.Env, WorkflowValues.Secrets(secrets));
        return new ExpressionContext()
            .Set(ExpressionRoots.Env, ExprValue.Object(env))
            .Set(ExpressionRoots.Secrets, WorkflowValues.Secrets(secrets))
            .Set(ExpressionRoots.Workflow, WorkflowValues.Workflow(workflow, "dry-run", DateTimeOffset.UtcNow))
            .Set(ExpressionRoots.Trigger, RunEnvironment.TriggerValue("manual", null));
    }
}
