using System.Diagnostics;
using Pipeline.Engine.Events;

namespace Pipeline.State;

/// <summary>
/// Puts the state store in front of the run's other observers without making the engine wait for
/// the disk: events queue here, a thread of their own writes them to the store in batches (one
/// transaction and one sync to the disk per batch), and only then hands them on to the display and
/// the report. So nothing is shown before it is stored, while tasks go on running; a burst of short
/// tasks costs one sync, not one per event. Events that trickle in (a chain of tasks of a few
/// milliseconds each) are committed at most every <see cref="CommitInterval"/>; an event after a
/// quiet spell is committed at once. A transaction and its sync cost milliseconds of CPU on a
/// virtual machine (the sync's disk flush exits to the hypervisor), taken from the tasks themselves
/// on a small machine: a 300-task chain of `true` took 9% less time and 16% less CPU with commits
/// 100 ms apart instead of 20 ms (side by side, 2 cores), while a display that lags by a tenth of a
/// second is hardly seen. A flush, the end of the run and a queue filling up cut the wait short.
/// <see cref="CompleteAsync"/> waits for the queue to empty.
/// The queue is bounded: when the display or the disk falls behind a task that prints hundreds of
/// megabytes, the engine waits for room (and the task for its pipe to be read, as with a slow
/// terminal) rather than holding the output in memory.
/// </summary>
public sealed class DurablePipeline : IDurableRunObserver
{
    private const int MaxBatch = 512;

    /// <summary>The shortest time between the starts of two commits while events keep coming (tests change it).</summary>
    internal TimeSpan CommitInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Events waiting to be stored and shown: a few megabytes of output lines at most.</summary>
    internal const int Capacity = 8192;

    private readonly CommitQueue _events = new(Capacity, MaxBatch);
    private readonly IStateStore _store;
    private readonly StateRecorder _recorder;
    private readonly IReadOnlyList<IRunObserver> _downstream;
    private readonly TaskCompletionSource _pumped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DurablePipeline(IStateStore store, StateRecorder recorder, IReadOnlyList<IRunObserver> downstream)
    {
        _store = store;
        _recorder = recorder;
        _downstream = downstream;
        // A thread of its own, which blocks while it waits (see CommitQueue): publishers may block on a
        // full queue, so the pump must not need a thread-pool thread to drain it; and a timed wait there
        // costs no timer (whose callback would wake a pool thread, which would wake the pump: three
        // thread switches per commit, taken from the tasks on a small machine).
        new Thread(Pump) { IsBackground = true, Name = "pipeline state pump" }.Start();
    }

    /// <summary>The first exception a downstream observer threw (they cannot stop the run).</summary>
    public Exception? ObserverError { get; private set; }

    // Events queued and events handed on so far, for FlushAsync.
    private long _queued;
    private long _delivered;
    private readonly object _flushGate = new();
    private readonly List<(long Target, TaskCompletionSource Done)> _flushes = [];

    public void OnEvent(RunEvent e)
    {
        Interlocked.Increment(ref _queued);
        _events.Add(e); // a loud task fills a batch, which ends the wait for company
    }

    /// <summary>
    /// Waits until every event queued before the call is stored and handed on, while the run goes on
    /// (a build project's Taskfile run serves several nodes: each node's lines must be shown before the
    /// node is reported finished).
    /// </summary>
    public Task FlushAsync()
    {
        var target = Interlocked.Read(ref _queued);
        lock (_flushGate)
        {
            if (Interlocked.Read(ref _delivered) >= target || _pumped.Task.IsCompleted) return Task.CompletedTask;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _flushes.Add((target, done));
            _events.Hurry(); // a stale hurry only makes one commit come sooner
            return done.Task;
        }
    }

    private void Delivered(int count)
    {
        var delivered = Interlocked.Add(ref _delivered, count);
        lock (_flushGate)
            for (var i = _flushes.Count - 1; i >= 0; i--)
                if (_flushes[i].Target <= delivered)
                {
                    _flushes[i].Done.TrySetResult();
                    _flushes.RemoveAt(i);
                }
    }

    /// <summary>No more events: waits until every queued event is stored and shown.</summary>
    public Task CompleteAsync()
    {
        _events.Complete();
        return _pumped.Task;
    }

    private void Pump()
    {
        try
        {
            PumpEvents();
            _pumped.TrySetResult();
        }
        catch (Exception e) { _pumped.TrySetException(e); }
    }

    private void PumpEvents()
    {
        var batch = new List<RunEvent>(MaxBatch);
        var lastCommit = 0L;
        while (_events.TakeBatch(batch, lastCommit, CommitInterval))
        {
            lastCommit = Stopwatch.GetTimestamp();
            if (_recorder.Error is null)
            {
                // A task that started and finished within one batch needs only its finished row (not its start, nor its process).
                var finished = batch.OfType<TaskFinished>().Select(f => f.Result.InstanceId).ToHashSet(StringComparer.Ordinal);
                try
                {
                    _store.InOneTransaction(() =>
                    {
                        foreach (var e in batch)
                            if (e switch { TaskStarted s => !finished.Contains(s.InstanceId), TaskProcessStarted p => !finished.Contains(p.InstanceId), _ => true })
                                _recorder.OnEvent(e);
                    });
                }
                catch (StateStoreException ex) { _recorder.Fail(ex.Message); }
            }
            foreach (var e in batch)
                foreach (var o in _downstream)
                {
                    try { o.OnEvent(e); }
                    catch (Exception ex) { ObserverError ??= ex; }
                }
            Delivered(batch.Count);
        }
        lock (_flushGate) // the queue is closed: nothing more will be delivered
        {
            foreach (var (_, done) in _flushes) done.TrySetResult();
            _flushes.Clear();
        }
    }

}
