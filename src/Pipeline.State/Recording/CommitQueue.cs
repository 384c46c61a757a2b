using System.Diagnostics;
using Pipeline.Engine.Events;

namespace Pipeline.State;

/// <summary>
/// The events between the engine and the state store's pump: bounded (a writer waits for room when
/// the pump falls behind), and taken in batches that wait for company until the commit interval is
/// over, a batch is full, someone hurries the pump or the queue is completed.
/// </summary>
/// <remarks>
/// One monitor, no spinning: the pump wakes a few dozen times a second and the engine's threads add
/// events at the rate tasks start and end, so a wait that spins first (a channel read blocked on, a
/// semaphore, a task's Wait) spent more CPU yielding than the commits themselves, beside the tasks'
/// own processes on a small machine. Writers wake the pump only when it waits for a first event or
/// when a batch is full; while it rests between commits they leave it alone.
/// </remarks>
internal sealed class CommitQueue(int capacity, int maxBatch)
{
    private readonly object _gate = new();
    private readonly Queue<RunEvent> _items = new();
    private bool _completed, _hurry, _pumpIdle, _pumpResting;
    private int _writersWaiting;

    /// <summary>Adds an event, waiting while the queue is full; dropped once the queue is completed.</summary>
    public void Add(RunEvent e)
    {
        lock (_gate)
        {
            while (_items.Count >= capacity && !_completed)
            {
                _writersWaiting++;
                Monitor.Wait(_gate);
                _writersWaiting--;
            }
            if (_completed) return;
            _items.Enqueue(e);
            if (_pumpIdle || (_pumpResting && _items.Count >= maxBatch)) Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Ends the wait for company now (a flush, the end of the run).</summary>
    public void Hurry()
    {
        lock (_gate)
        {
            _hurry = true;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>No more events: the pump takes what is left, then <see cref="TakeBatch"/> says so.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>
    /// Waits for an event, then for company until <paramref name="interval"/> has passed since
    /// <paramref name="lastCommit"/> (a <see cref="Stopwatch"/> timestamp; 0 when there was none, so
    /// the first event goes at once: timestamps count from the machine's start, and on a machine up
    /// for less than the interval, 0 looked like a commit made a moment ago), and takes up to a batch.
    /// </summary>
    /// <returns>False once the queue is completed and empty.</returns>
    public bool TakeBatch(List<RunEvent> batch, long lastCommit, TimeSpan interval)
    {
        batch.Clear();
        lock (_gate)
        {
            _pumpIdle = true;
            while (_items.Count == 0 && !_completed) Monitor.Wait(_gate);
            _pumpIdle = false;
            if (_items.Count == 0) return false;

            _pumpResting = true;
            while (lastCommit != 0 && !_hurry && !_completed && _items.Count < maxBatch)
            {
                var left = interval - Stopwatch.GetElapsedTime(lastCommit);
                if (left <= TimeSpan.Zero) break;
                Monitor.Wait(_gate, left);
            }
            _pumpResting = false;
            _hurry = false;

            while (batch.Count < maxBatch && _items.TryDequeue(out var e)) batch.Add(e);
            if (_writersWaiting > 0) Monitor.PulseAll(_gate); // room again
            return true;
        }
    }
}
