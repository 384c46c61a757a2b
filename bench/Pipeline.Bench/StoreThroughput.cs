using System.Diagnostics;
using Pipeline.State;

namespace Pipeline.Bench;

/// <summary>
/// How fast the state store takes a run's events (each task: a start, and a finish with its attempt):
/// one synced write per event; one write per event left in the WAL (safe when the process dies); and
/// batches of 16 events, one transaction and one sync each, as `workflow run` writes them.
/// </summary>
public static class StoreThroughput
{
    public static void Run(int tasks = 2000)
    {
        Console.WriteLine("| Store writes (SQLite, WAL) | task events | per second | per event |");
        Console.WriteLine("|---|---|---|---|");
        Measure("one per event, synced to the disk", tasks, (store, write) => write(true));
        Measure("one per event, not synced (survives a killed process)", tasks, (store, write) => write(false));
        Measure("batches of 16 events, synced (what workflow run does)", tasks, (store, write) => write(false), batch: 8);
    }

    private static void Measure(string name, int tasks, Action<IStateStore, Action<bool>> each, int batch = 0)
    {
        var folder = Directory.CreateTempSubdirectory("pipeline-store-bench-").FullName;
        try
        {
            using var store = SqliteStateStore.Open(Path.Combine(folder, "state.db"));
            var now = DateTimeOffset.UtcNow;
            store.ExecutionStarted(new ExecutionRecord { Id = "bench", Workflow = "bench", Status = "running", StartedAt = now });
            var clock = Stopwatch.StartNew();
            void Task(int i, bool synced)
            {
                var id = "t" + i;
                store.TaskStarted("bench", id, id, "dag", 1, now, synced);
                store.TaskFinished(new TaskRunRecord { ExecutionId = "bench", InstanceId = id, TaskId = id, Status = "succeeded", StartedAt = now, FinishedAt = now, Attempts = 1, ExitCode = 0, OutputExcerpt = "done" },
                    [new AttemptRow("bench", id, 1, "succeeded", now, now, 0, null)], synced);
            }
            if (batch == 0)
                for (var i = 0; i < tasks; i++) each(store, synced => Task(i, synced));
            else
                for (var i = 0; i < tasks; i += batch)
                {
                    var first = i;
                    store.InOneTransaction(() => { for (var j = first; j < Math.Min(first + batch, tasks); j++) Task(j, false); });
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
