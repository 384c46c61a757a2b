using System.Diagnostics;
using Pipeline.State;

namespace Pipeline.Bench;

/// <summary>
/// How fast the state store takes a run's events: each task is one start and one finish (with its
/// attempt), each a durable write (WAL, full sync), as `workflow run` makes them.
/// </summary>
public static class StoreThroughput
{
    public static void Run(int tasks = 2000)
    {
        var folder = Directory.CreateTempSubdirectory("pipeline-store-bench-").FullName;
        try
        {
            using var store = SqliteStateStore.Open(Path.Combine(folder, "state.db"));
            var now = DateTimeOffset.UtcNow;
            store.ExecutionStarted(new ExecutionRecord { Id = "bench", Workflow = "bench", Status = "running", StartedAt = now });
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < tasks; i++)
            {
                var id = "t" + i;
                store.TaskStarted("bench", id, id, "dag", 1, now);
                store.TaskFinished(new TaskRunRecord { ExecutionId = "bench", InstanceId = id, TaskId = id, Status = "succeeded", StartedAt = now, FinishedAt = now, Attempts = 1, ExitCode = 0, OutputExcerpt = "done" },
                    [new AttemptRow("bench", id, 1, "succeeded", now, now, 0, null)]);
            }
            var elapsed = clock.Elapsed.TotalSeconds;
            store.ExecutionFinished("bench", "succeeded", DateTimeOffset.UtcNow, null);
            Console.WriteLine("| Store | tasks | task events | per second | per event |");
            Console.WriteLine("|---|---|---|---|---|");
            Console.WriteLine($"| SQLite, WAL, full sync | {tasks:N0} | {2 * tasks:N0} | {2 * tasks / elapsed:N0} | {elapsed * 1e6 / (2 * tasks):0} µs |");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
