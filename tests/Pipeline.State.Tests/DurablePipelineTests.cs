using Microsoft.Data.Sqlite;
using Pipeline.Core.Loading;
using Pipeline.Engine.Events;
using Pipeline.Engine.Planning;
using Pipeline.Engine.Running;

namespace Pipeline.State.Tests;

public sealed class DurablePipelineTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pipeline-durable-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Checks, for every finished task it is shown, that the store already has it finished.</summary>
    private sealed class StoredBeforeShown(IStateStore store) : IRunObserver
    {
        public List<string> Seen { get; } = [];
        public List<string> Problems { get; } = [];

        public void OnEvent(RunEvent e)
        {
            if (e is not TaskFinished f) return;
            Seen.Add(f.Result.InstanceId);
            var row = store.Find(f.ExecutionId)?.Tasks.FirstOrDefault(t => t.InstanceId == f.Result.InstanceId);
            if (row?.Status != f.Result.State.Name()) Problems.Add($"{f.Result.InstanceId} shown as {f.Result.State.Name()} but stored as {row?.Status ?? "nothing"}");
        }
    }

    [Fact]
    public async Task Every_event_is_stored_before_the_next_observer_sees_it_and_nothing_is_lost()
    {
        var file = Path.Combine(_folder, "many.workflow.json");
        var tasks = string.Join(",", Enumerable.Range(0, 40).Select(i => $$"""{ "id": "t{{i}}", "type": "shell", "command": "true"{{(i < 4 ? "" : $", \"depends_on\": [\"t{i - 4}\"]")}} }"""));
        File.WriteAllText(file, $$"""{ "name": "many", "tasks": [{{tasks}}] }""");
        using var store = SqliteStateStore.Open(Path.Combine(_folder, "state.db"));
        var shown = new StoredBeforeShown(store);
        var pipeline = new DurablePipeline(store, new StateRecorder(store, new RunContext()), [shown]);
        var result = await new WorkflowEngine().RunAsync(ExecutionPlan.Create(WorkflowLoader.Load(file).Workflow!), new RunOptions { Observers = [pipeline], MaxParallel = 4 });
        await pipeline.CompleteAsync();

        Assert.Empty(shown.Problems);
        Assert.Equal(40, shown.Seen.Count);
        var detail = store.Find(result.ExecutionId)!;
        Assert.Equal("succeeded", detail.Execution.Status);
        Assert.Equal(40, detail.Tasks.Count(t => t.Status == "succeeded"));
        Assert.Null(pipeline.ObserverError);
    }

    [Fact]
    public void A_store_at_schema_1_is_brought_to_the_latest_version_keeping_its_rows()
    {
        var db = Path.Combine(_folder, "old.db");
        using (var connection = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = Schema.Migrations[0] + "; PRAGMA user_version = 1;"
                + "INSERT INTO executions (id, workflow, trigger, status, started_at) VALUES ('old-1', 'legacy', 'manual', 'succeeded', '2026-01-01T00:00:00.0000000Z');";
            command.ExecuteNonQuery();
        }
        using var store = SqliteStateStore.Open(db);
        Assert.Equal(Schema.Latest, store.SchemaVersion);
        var old = store.Find("old-1")!.Execution;
        Assert.Equal(("legacy", "succeeded", (int?)null), (old.Workflow, old.Status, old.Pid));
    }
}
