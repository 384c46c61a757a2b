using Pipeline.Core.Model;
using Pipeline.State;

namespace Pipeline.Cli;

/// <summary>
/// A workflow's <c>concurrency</c> policy, enforced through the state store (so a crashed run never
/// leaves a lock behind: a "running" row whose process is gone does not count):
/// <c>allow</c> runs side by side; <c>skip</c> records this run as skipped and exits 0;
/// <c>queue</c> waits for the running one to finish; <c>cancel-previous</c> sends the running one
/// SIGTERM (it stops as on Ctrl-C: grace period, clean-up, report) and then runs.
/// </summary>
internal static class ConcurrencyGate
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    /// <returns>Null to run; else the exit code to return instead (0 skipped, 130 cancelled while waiting).</returns>
    public static async Task<int?> PassAsync(IStateStore store, WorkflowDefinition definition, string executionId, RunContext context,
        TextWriter error, CancellationToken cancel)
    {
        if (definition.Concurrency == ConcurrencyPolicy.Allow) return null;
        var record = context.Execution(executionId, definition, DateTimeOffset.UtcNow);
        var told = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var running = store.TryClaim(record with { StartedAt = DateTimeOffset.UtcNow }, StateStores.IsAlive);
            if (running.Count == 0) return null;
            var other = running[0];
            switch (definition.Concurrency)
            {
                case ConcurrencyPolicy.Skip:
                    var why = $"skipped: execution {other.Id} of '{record.Workflow}'{(record.ConcurrencyGroup is { } g ? $" (group {g})" : "")} is running (concurrency: skip)";
                    error.WriteLine($"workflow: {why}");
                    RecordEnded(store, record, "skipped", why);
                    return 0;
                case ConcurrencyPolicy.CancelPrevious:
                    foreach (var r in running.Where(r => told.Add(r.Id)))
                    {
                        if (ExecutionProcesses.IsServed(r))
                            error.WriteLine($"workflow: execution {r.Id} runs inside workflow serve (process {r.Pid}), which this command does not stop; waiting for it (concurrency: cancel-previous)");
                        else if (r.Host == Environment.MachineName && r.Pid is { } pid and > 1)
                        {
                            error.WriteLine($"workflow: stopping execution {r.Id} (process {pid}) first (concurrency: cancel-previous)");
                            _ = Pipeline.Engine.Processes.Signals.Terminate(pid);
                        }
                        else error.WriteLine($"workflow: execution {r.Id} runs on {r.Host}, which this machine cannot stop; waiting for it (concurrency: cancel-previous)");
                    }
                    break;
                default:
                    if (told.Add(other.Id)) error.WriteLine($"workflow: waiting for execution {other.Id} of '{record.Workflow}' to finish (concurrency: queue)");
                    break;
            }
            try { await Task.Delay(Poll, cancel); }
            catch (OperationCanceledException)
            {
                // Every run ends in a recorded state, this one too: it never started a task.
                RecordEnded(store, record, "cancelled", $"cancelled while waiting for execution {other.Id} of '{record.Workflow}' to finish");
                return 130;
            }
        }
    }

    /// <summary>Records a run that ended at the gate, before any task started.</summary>
    private static void RecordEnded(IStateStore store, ExecutionRecord record, string status, string why)
    {
        var now = DateTimeOffset.UtcNow;
        store.ExecutionStarted(record with { Status = "running", StartedAt = now });
        store.ExecutionFinished(record.Id, status, now, why);
    }
}
