using System.Collections.Concurrent;

namespace Pipeline.State;

/// <summary>
/// A few threads of their own, shared by every <see cref="DurablePipeline"/> of the process: a pump
/// must not need a thread-pool thread to drain its queue (the publishers may be thread-pool threads
/// blocked on a full queue), yet a thread per run is too dear for `workflow serve`, which starts
/// hundreds of runs a second (each new thread also leaves the runtime per-thread pools to trim).
/// A pump holds a thread only while it writes a batch; between batches it awaits on this scheduler.
/// </summary>
internal sealed class PumpThreads : TaskScheduler
{
    public static readonly PumpThreads Shared = new(Math.Max(4, Environment.ProcessorCount));

    private readonly BlockingCollection<Task> _tasks = new();

    private PumpThreads(int threads)
    {
        for (var i = 0; i < threads; i++)
            new Thread(() => { foreach (var task in _tasks.GetConsumingEnumerable()) TryExecuteTask(task); })
            {
                IsBackground = true,
                Name = "pipeline state pump",
            }.Start();
        MaximumConcurrencyLevel = threads;
    }

    public override int MaximumConcurrencyLevel { get; }

    protected override void QueueTask(Task task) => _tasks.Add(task);

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    protected override IEnumerable<Task> GetScheduledTasks() => _tasks.ToArray();
}
