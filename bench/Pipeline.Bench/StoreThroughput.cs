using System.Diagnostics;
using Pipeline.State;
using Pipeline.Testing;

namespace Pipeline.Bench;

/// <summary>
/// How fast the state store takes a run's events (each task: a start, and a finish with its attempt),
/// every commit durable: one transaction per event, and batches of 16 events in one transaction
/// each, as `workflow run` writes them (DurablePipeline). SQLite always; PostgreSQL too when
/// PIPELINE_TEST_POSTGRES names a server (bench/run.sh starts the local one as tests/run does), in
/// a schema of its own that is dropped afterwards. Both side by side in one run, so their ratio holds.
/// </summary>
public static class StoreThroughput
{
    public static void Run(int tasks = 2000)
    {
        Console.WriteLine("| Store writes (durable commits) | task events | per second | per event |");
        Console.WriteLine("|---|---|---|---|");
        MeasureBoth("SQLite (WAL, synced)", tasks, Sqlite);
        if (Environment.GetEnvironmentVariable(PostgresTestSchema.Variable) is { Length: > 0 })
            MeasureBoth("PostgreSQL (local server, TCP)", tasks, Postgres);
        else
            Console.Error.WriteLine("note: PIPELINE_TEST_POSTGRES is not set; PostgreSQL is not measured");
    }

    private static void MeasureBoth(string store, int tasks, Func<(IStateStore Store, Action CleanUp)> open)
    {
        Measure($"{store}: one transaction per event", tasks, batch: 1, inOneTransaction: false, open);
        Measure($"{store}: batches of 16 events (what workflow run does)", tasks, batch: 8, inOneTransaction: true, open);
    }

    private static (IStateStore, Action) Sqlite()
    {
        var folder = Directory.CreateTempSubdirectory("pipeline-store-bench-").FullName;
        return (SqliteStateStore.Open(Path.Combine(folder, "state.db")), () =>
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        });
    }

    private static (IStateStore, Action) Postgres()
    {
        var schema = new PostgresTestSchema();
        return (PostgresStateStore.Open(schema.ConnectionString), schema.Dispose);
    }

    private static void Measure(string name, int tasks, int batch, bool inOneTransaction, Func<(IStateStore Store, Action CleanUp)> open)
    {
        var (store, cleanUp) = open();
        try
        {
            var now = DateTimeOffset.UtcNow;
            store.ExecutionStarted(new ExecutionRecord { Id = "bench", Workflow = "bench", Status = "running", StartedAt = now });
            void Task(int i)
            {
                var id = "t" + i;
                store.TaskStarted("bench", id, id, "dag", 1, now);
                store.TaskFinished(new TaskRunRecord { ExecutionId = "bench", InstanceId = id, TaskId = id, Status = "succeeded", StartedAt = now, FinishedAt = now, Attempts = 1, ExitCode = 0, OutputExcerpt = "done" },
                    [new AttemptRow("bench", id, 1, "succeeded", now, now, 0, null)]);
            }
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < tasks; i += batch)
            {
                var first = i;
                void Writes() { for (var j = first; j < Math.Min(first + batch, tasks); j++) Task(j); }
                if (inOneTransaction) store.InOneTransaction(Writes);
                else Writes();
            }
            var elapsed = clock.Elapsed.TotalSeconds;
            // Read back: a store that dropped writes must not post a figure.
            if (store.Find("bench")!.Tasks.Count != tasks) throw new InvalidOperationException($"{name}: the store lost writes");
            Console.WriteLine($"| {name} | {2 * tasks:N0} | {2 * tasks / elapsed:N0} | {elapsed * 1e6 / (2 * tasks):0} µs |");
        }
        finally
        {
            store.Dispose();
            cleanUp();
        }
    }
}
