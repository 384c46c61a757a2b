namespace Pipeline.State;

/// <summary>
/// A few threads of their own, shared by every <see cref="DurablePipeline"/> of the process: a pump
/// must not need a thread-pool thread to drain its queue (the publishers may be thread-pool threads
/// blocked on a full queue), yet a thread per run is too dear for `workflow serve`, which starts
/// hundreds of runs a second (each new thread also leaves the runtime per-thread pools to trim).
/// A pump holds a thread only while it writes a batch; between batches it awaits on this scheduler.
/// Idle threads sleep in <see cref="Monitor.Wait(object)"/>: a BlockingCollection's semaphore spins
/// (sched_yield) before it sleeps, and with a wake-up per event that spinning took a fifth of the
/// process's CPU in a chain of short tasks, CPU the tasks themselves need on a small machine.
/// </summary>
internal sealed class PumpThreads : TaskScheduler
{
    public static readonly PumpThreads Shared = new(Math.Max(4, Environment.ProcessorCount));

    private readonly Queue<Task> _tasks = new();

    private PumpThreads(int threads)
    {
        for (var i = 0; i < threads; i++)
            new Thread(Work)
            {
                IsBackground = true,
                Name = "pipeline state pump",
            }.Start();
        MaximumConcurrencyLevel = threads;
    }

    public override int MaximumConcurrencyLevel { get; }

    private void Work()
    {
        while (true)
        {
            Task next;
            lock (_tasks)
            {
                while (_tasks.Count == 0) Monitor.Wait(_tasks);
                next = _tasks.Dequeue();
            }
            TryExecuteTask(next);
        }
    }

    protected override void QueueTask(Task task)
    {
        lock (_tasks)
        {
            _tasks.Enqueue(task);
            Monitor.Pulse(_tasks);
        }
    }

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (_tasks) return _tasks.ToArray();
    }
}
