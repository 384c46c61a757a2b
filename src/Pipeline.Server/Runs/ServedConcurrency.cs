using System.Collections.Concurrent;
using Pipeline.Core.Model;
using Pipeline.State;

namespace Pipeline.Server.Runs;

/// <summary>
/// A workflow's <c>concurrency</c> policy for the runs `workflow serve` starts, whatever started them
/// (webhook, schedule, file change), per concurrency group. Inside the server one gate per workflow
/// and group keeps the order (queued runs start first come, first served); across processes (another
/// server on the same PostgreSQL store, a <c>workflow run</c> by hand) the store's atomic claim does.
/// <c>skip</c> records the run as skipped; <c>queue</c> records it as queued until it starts;
/// <c>cancel-previous</c> stops the running one as Ctrl-C does (grace period, clean-up) and then runs.
/// A run of another process is stopped with SIGTERM when it is a <c>workflow run</c> on this machine,
/// and waited for otherwise.
/// </summary>
internal sealed class ServedConcurrency(IStateStore? store)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    private sealed class Gate
    {
        public readonly SemaphoreSlim Lock = new(1, 1);
        public CancellationTokenSource? Holder;

        /// <summary>The latest run that asked to cancel the previous ones: an earlier one still waiting is superseded.</summary>
        public volatile string? Latest;
    }

    private readonly ConcurrentDictionary<(string Workflow, string Group), Gate> _gates = new();
    private readonly ConcurrentDictionary<string, byte> _ownRuns = new(StringComparer.Ordinal);

    /// <summary>What the gate decided: run (and call <see cref="Passage.Dispose"/> when done), or the run ended here as skipped or cancelled.</summary>
    public sealed class Passage(Action? release, string? endedAs) : IDisposable
    {
        public bool Run => endedAs is null;
        public string? EndedAs => endedAs;
        public void Dispose() => release?.Invoke();
    }

    /// <param name="record">The run's row, as it will be recorded (status running).</param>
    /// <param name="runCancel">Cancels this run; cancel-previous of a later run uses it.</param>
    public async Task<Passage> PassAsync(WorkflowDefinition definition, ExecutionRecord record, CancellationTokenSource runCancel, Action<string> log, CancellationToken stopping)
    {
        if (definition.Concurrency == ConcurrencyPolicy.Allow)
        {
            _ownRuns[record.Id] = 0;
            return new Passage(() => _ownRuns.TryRemove(record.Id, out _), null);
        }
        var gate = _gates.GetOrAdd((record.Workflow, record.ConcurrencyGroup ?? ""), _ => new Gate());
        var group = record.ConcurrencyGroup is { } g ? $" (group {g})" : "";
        switch (definition.Concurrency)
        {
            case ConcurrencyPolicy.Skip:
                if (!await gate.Lock.WaitAsync(0, CancellationToken.None).ConfigureAwait(false))
                    return End(record, "skipped", $"skipped: another run of '{record.Workflow}'{group} is running (concurrency: skip)");
                break;
            case ConcurrencyPolicy.CancelPrevious:
                gate.Latest = record.Id;
                gate.Holder?.Cancel();
                goto default;
            default:
                Record(record with { Status = "queued" });
                try { await gate.Lock.WaitAsync(stopping).ConfigureAwait(false); }
                catch (OperationCanceledException) { return End(record, "cancelled", "cancelled while queued: the server stopped"); }
                if (definition.Concurrency == ConcurrencyPolicy.CancelPrevious && gate.Latest != record.Id)
                {
                    gate.Lock.Release();
                    return End(record, "cancelled", $"cancelled before it started: a later run of '{record.Workflow}'{group} replaced it (concurrency: cancel-previous)");
                }
                break;
        }
        gate.Holder = runCancel;
        _ownRuns[record.Id] = 0;
        void Release()
        {
            _ownRuns.TryRemove(record.Id, out _);
            if (gate.Holder == runCancel) gate.Holder = null;
            gate.Lock.Release();
        }

        // Other processes: the store's claim, polled.
        var told = new HashSet<string>(StringComparer.Ordinal);
        while (store is not null)
        {
            var running = store.TryClaim(record with { StartedAt = DateTimeOffset.UtcNow }, IsAlive);
            if (running.Count == 0) break;
            if (definition.Concurrency == ConcurrencyPolicy.Skip)
            {
                Release();
                return End(record, "skipped", $"skipped: execution {running[0].Id} of '{record.Workflow}'{group} is running (concurrency: skip)");
            }
            foreach (var other in running.Where(r => told.Add(r.Id)))
            {
                if (definition.Concurrency == ConcurrencyPolicy.CancelPrevious && other.Host == Environment.MachineName && other.Pid is { } pid and > 1
                    && pid != Environment.ProcessId && !ExecutionProcesses.IsServed(other))
                {
                    log($"stopping execution {other.Id} (process {pid}) first (concurrency: cancel-previous)");
                    _ = Pipeline.Engine.Processes.Signals.Terminate(pid);
                }
                else log($"execution {record.Id} waits for execution {other.Id} of '{record.Workflow}'{group} in another process");
            }
            try { await Task.Delay(Poll, stopping).ConfigureAwait(false); }
            catch (OperationCanceledException)
            {
                Release();
                return End(record, "cancelled", "cancelled while queued: the server stopped");
            }
        }
        return new Passage(Release, null);
    }

    /// <summary>This server's own rows are alive while their runs are; other processes' as their pid says.</summary>
    private bool IsAlive(ExecutionRecord e) =>
        e.Pid == Environment.ProcessId && e.Host == Environment.MachineName ? _ownRuns.ContainsKey(e.Id) : ExecutionProcesses.IsAlive(e);

    private void Record(ExecutionRecord record)
    {
        try { store?.ExecutionStarted(record); }
        catch (StateStoreException) { } // the run goes on unrecorded, as every run does when the store fails
    }

    private Passage End(ExecutionRecord record, string status, string why)
    {
        try
        {
            store?.ExecutionStarted(record with { Status = "running", StartedAt = DateTimeOffset.UtcNow });
            store?.ExecutionFinished(record.Id, status, DateTimeOffset.UtcNow, why);
        }
        catch (StateStoreException) { }
        return new Passage(null, status);
    }
}
