using System.Collections;
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
        var env = new Dictionary<string, ExprValue>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry e in System.Environment.GetEnvironmentVariables()) env[(string)e.Key] = ExprValue.String((string?)e.Value ?? "");
        var secrets = workflow.Secrets
            .Select(s => (s.Name.Value, Value: System.Environment.GetEnvironmentVariable(s.From)))
            .Where(s => !string.IsNullOrEmpty(s.Value))
            .Select(s => new KeyValuePair<string, ExprValue>(s.Item1, ExprValue.String(s.Value)));
        var context = new ExpressionContext()
            .Set(ExpressionRoots.Secrets, ExprValue.Object(secrets))
            .Set(ExpressionRoots.Workflow, ExprValue.Object([new("name", ExprValue.String(workflow.Name.Value)), new("file", ExprValue.String(workflow.Path))]))
            .Set(ExpressionRoots.Trigger, RunEnvironment.TriggerValue("manual", null));
        // Each level is rendered with the ones below it visible, as in a run.
        void Level(IEnumerable<(string Name, string Value)> values)
        {
            var rendered = values.Select(v => (v.Name, Value: RunEnvironment.Render(v.Value, context.With(env)))).ToList();
            foreach (var (name, value) in rendered) env[name] = ExprValue.String(value);
        }
        Level(workflow.Environment.Select(v => (v.Name.Value, v.Value.Value)));
        foreach (var (k, v) in overrides) env[k] = ExprValue.String(v);
        Level(task.Env.Select(v => (v.Name.Value, v.Value.Value)));
        return context.With(env);
    }

    private static ExpressionContext With(this ExpressionContext context, Dictionary<string, ExprValue> env) =>
        context.Set(ExpressionRoots.Env, ExprValue.Object(env));
}
