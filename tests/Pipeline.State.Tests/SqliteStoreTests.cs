using Microsoft.Data.Sqlite;
using Pipeline.Core.Loading;
using Pipeline.Engine.Planning;
using Pipeline.Engine.Reporting;
using Pipeline.Engine.Running;

namespace Pipeline.State.Tests;

/// <summary>The SQLite store against real files, written through a real engine run.</summary>
public sealed class SqliteStoreTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pipeline-state-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private string Db => Path.Combine(_folder, "state.db");

    private async Task<RunResult> Run(IStateStore store, string json, string name = "w.workflow.json")
    {
        var file = Path.Combine(_folder, name);
        File.WriteAllText(file, json);
        var definition = WorkflowLoader.Load(file).Workflow!;
        using var report = new RunReportWriter(Path.Combine(_folder, ".workflow"));
        var recorder = new StateRecorder(store, new RunContext { ContentHash = "abc", Parameters = new Dictionary<string, string> { ["STAGE"] = "test" }, Logs = report.LogsOf });
        var result = await new WorkflowEngine().RunAsync(ExecutionPlan.Create(definition), new RunOptions { Observers = [recorder, report] });
        Assert.Null(recorder.Error);
        return result;
    }

    [Fact]
    public void A_new_store_is_migrated_in_wal_mode_and_reopening_keeps_it()
    {
        using (var store = SqliteStateStore.Open(Db))
        {
            Assert.Equal(Schema.Latest, store.SchemaVersion);
            Assert.True(store.IntegrityCheck());
        }
        using var again = SqliteStateStore.Open(Db);
        Assert.Equal(Schema.Latest, again.SchemaVersion);
        using var connection = new SqliteConnection($"Data Source={Db}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
    }

    [Fact]
    public async Task A_run_is_recorded_with_its_tasks_attempts_outputs_and_logs()
    {
        using var store = SqliteStateStore.Open(Db);
        var result = await Run(store, """
            { "name": "rec", "version": "1.2", "tasks": [
              { "id": "out", "type": "shell", "command": "echo v=7 >> \"$WORKFLOW_OUTPUT\"; echo hello" },
              { "id": "flaky", "type": "shell", "command": "echo nope >&2; exit 3", "retry": { "attempts": 2, "delay": 10 }, "depends_on": ["out"] }
            ] }
            """);
        var detail = store.Find(result.ExecutionId)!;
        var e = detail.Execution;
        Assert.Equal(("rec", "1.2", "failed", "abc", "{\"STAGE\":\"test\"}"), (e.Workflow, e.Version, e.Status, e.ContentHash, e.Parameters));
        Assert.Equal(result.StartedAt.UtcDateTime, e.StartedAt.UtcDateTime);
        Assert.Contains("flaky", e.Error);

        var output = detail.Tasks.Single(t => t.TaskId == "out");
        Assert.Equal(("succeeded", 0, "{\"v\":\"7\"}", "hello"), (output.Status, output.ExitCode, output.Outputs, output.OutputExcerpt));
        Assert.EndsWith("logs/out.stdout.log", output.StdoutLog);
        var flaky = detail.Tasks.Single(t => t.TaskId == "flaky");
        Assert.Equal(("failed", 2, 3), (flaky.Status, flaky.Attempts, flaky.ExitCode));
        Assert.Equal([1, 2], detail.Attempts.Where(a => a.InstanceId == "flaky").Select(a => a.Number));
        Assert.All(detail.Attempts.Where(a => a.InstanceId == "flaky"), a => Assert.Contains("exited with code 3", a.Error));
    }

    [Fact]
    public async Task History_filters_by_workflow_status_and_time_newest_first_with_a_limit()
    {
        using var store = SqliteStateStore.Open(Db);
        var ok = """{ "name": "a", "tasks": [{ "id": "t", "type": "shell", "command": "true" }] }""";
        var bad = """{ "name": "b", "tasks": [{ "id": "t", "type": "shell", "command": "false" }] }""";
        var first = await Run(store, ok, "a.workflow.json");
        var second = await Run(store, bad, "b.workflow.json");
        var third = await Run(store, ok, "a.workflow.json");

        Assert.Equal([third.ExecutionId, second.ExecutionId, first.ExecutionId], store.History(new HistoryQuery()).Select(e => e.Id));
        Assert.Equal([third.ExecutionId, first.ExecutionId], store.History(new HistoryQuery { Workflow = "a" }).Select(e => e.Id));
        Assert.Equal([second.ExecutionId], store.History(new HistoryQuery { Status = "failed" }).Select(e => e.Id));
        Assert.Equal([third.ExecutionId], store.History(new HistoryQuery { Limit = 1 }).Select(e => e.Id));
        Assert.Empty(store.History(new HistoryQuery { Since = DateTimeOffset.UtcNow.AddMinutes(1) }));
    }

    [Fact]
    public async Task An_execution_is_found_by_a_unique_prefix_of_its_id_only()
    {
        using var store = SqliteStateStore.Open(Db);
        var json = """{ "name": "a", "tasks": [{ "id": "t", "type": "shell", "command": "true" }] }""";
        var one = await Run(store, json);
        await Run(store, json);
        Assert.Equal(one.ExecutionId, store.Find(one.ExecutionId[..^2])?.Execution.Id);
        Assert.Null(store.Find("2"));            // every id starts with the year: ambiguous
        Assert.Null(store.Find("nothing-like-it"));
        Assert.Null(store.Find("%"));            // a LIKE wildcard is a character, not a pattern
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_a_clear_error()
    {
        File.WriteAllText(Db, "this is not SQLite, just text that happens to be here");
        var error = Assert.Throws<StateStoreException>(() => SqliteStateStore.Open(Db));
        Assert.Contains("is not a Pipeline state database (or it is damaged)", error.Message);
    }

    [Fact]
    public void A_store_from_a_newer_version_is_refused_not_damaged()
    {
        using (var store = SqliteStateStore.Open(Db)) { }
        using (var connection = new SqliteConnection($"Data Source={Db};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA user_version = {Schema.Latest + 5}";
            command.ExecuteNonQuery();
        }
        var error = Assert.Throws<StateStoreException>(() => SqliteStateStore.Open(Db));
        Assert.Contains("newer Pipeline", error.Message);
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

public sealed class PruneTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pipeline-prune-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Prune_deletes_old_finished_executions_with_their_rows_and_keeps_running_ones()
    {
        using var store = SqliteStateStore.Open(Path.Combine(_folder, "state.db"));
        var old = DateTimeOffset.UtcNow.AddDays(-40);
        foreach (var (id, status) in new[] { ("old-done", "succeeded"), ("old-running", "running") })
        {
            store.ExecutionStarted(new ExecutionRecord { Id = id, Workflow = "w", Status = "running", StartedAt = old });
            store.TaskFinished(new TaskRunRecord { ExecutionId = id, InstanceId = "t", TaskId = "t", Status = "succeeded", StartedAt = old, FinishedAt = old, Attempts = 1 },
                [new AttemptRow(id, "t", 1, "succeeded", old, old, 0, null)]);
            if (status != "running") store.ExecutionFinished(id, status, old, null);
        }
        store.ExecutionStarted(new ExecutionRecord { Id = "new-done", Workflow = "w", Status = "running", StartedAt = DateTimeOffset.UtcNow });
        store.ExecutionFinished("new-done", "succeeded", DateTimeOffset.UtcNow, null);

        var cutoff = DateTimeOffset.UtcNow.AddDays(-30);
        Assert.Equal(["old-done"], store.Prune(cutoff, dryRun: true));
        Assert.NotNull(store.Find("old-done"));
        Assert.Equal(["old-done"], store.Prune(cutoff));
        Assert.Null(store.Find("old-done"));
        Assert.NotNull(store.Find("old-running"));
        Assert.NotNull(store.Find("new-done"));
        Assert.True(store.IntegrityCheck());
    }
}
