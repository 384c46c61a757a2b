using System.Diagnostics;
using Pipeline.State;

namespace Pipeline.Bench;

/// <summary>
/// How fast the state store takes a run's events (each task: a start, and a finish with its attempt),
/// every write synced to the disk: one transaction per event, and batches of 16 events in one
/// transaction each, as `workflow run` writes them (DurablePipeline).
/// </summary>
public static class StoreThroughput
{
    public static void Run(int tasks = 2000)
    {
        Console.WriteLine("| Store writes (SQLite, WAL, synced) | task events | per second | per event |");
        Console.WriteLine("|---|---|---|---|");
        Measure("one transaction per event", tasks, batch: 1, inOneTransaction: false);
        Measure("batches of 16 events (what workflow run does)", tasks, batch: 8, inOneTransaction: true);
    }

    private static void Measure(string name, int tasks, int batch, bool inOneTransaction)
    {
        var folder = Directory.CreateTempSubdirectory("pipeline-store-bench-").FullName;
        try
        {
            using var store = SqliteStateStore.Open(Path.Combine(folder, "state.db"));
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
            Console.WriteLine($"| {name} | {2 * tasks:N0} | {2 * tasks / elapsed:N0} | {elapsed * 1e6 / (2 * tasks):0} µs |");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
