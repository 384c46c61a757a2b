using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Pipeline.Bench;

/// <summary>
/// `-- --allocations`: which types the 10k-task run allocates, sampled from the runtime's
/// allocation ticks (one event per ~100 KB allocated, naming the type that crossed the mark), so a
/// type's share of the ticks is about its share of the bytes. A memory profiler without one.
/// </summary>
public sealed class AllocationSampler : EventListener
{
    private readonly ConcurrentDictionary<string, int> _ticks = new();

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword: AllocationTick
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.PayloadNames is null) return;
        var index = e.PayloadNames.IndexOf("TypeName");
        if (index >= 0 && e.Payload?[index] is string type) _ticks.AddOrUpdate(type, 1, (_, n) => n + 1);
    }

    /// <summary>
    /// `-- --process-allocations`: the same for a chain of 300 shell tasks running `true` through the
    /// real executors and launcher, the path between one process's end and the next one's start.
    /// </summary>
    public static async Task RunProcessesAsync(int tasks = 300)
    {
        var json = new System.Text.StringBuilder("{ \"name\": \"chain\", \"tasks\": [");
        for (var i = 0; i < tasks; i++)
            json.Append(i == 0 ? "" : ",").Append($"{{ \"id\": \"c{i}\", \"type\": \"shell\", \"command\": \"true\"")
                .Append(i == 0 ? " }" : $", \"depends_on\": [\"c{i - 1}\"] }}");
        json.Append("] }");
        var workflow = Pipeline.Core.Loading.WorkflowLoader.Read("chain.workflow.json", System.Text.Encoding.UTF8.GetBytes(json.ToString()),
            Pipeline.Core.Loading.WorkflowFileKind.WorkflowJson).Workflow ?? throw new InvalidOperationException("the chain did not parse");
        var plan = Pipeline.Engine.Planning.ExecutionPlan.Create(workflow);
        var options = new Pipeline.Engine.Running.RunOptions { MaxParallel = 2 };
        await new Pipeline.Engine.Running.WorkflowEngine().RunAsync(plan, options); // warm up before listening
        using var sampler = new AllocationSampler();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var gcs = GC.CollectionCount(0);
        var result = await new Pipeline.Engine.Running.WorkflowEngine().RunAsync(plan, options);
        if (result.Status != Pipeline.Engine.Running.RunStatus.Succeeded) throw new InvalidOperationException(result.Error);
        var perTask = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)tasks;
        sampler.Print($"{perTask:0} bytes allocated per shell task, {GC.CollectionCount(0) - gcs} gen-0 collections for {tasks} tasks");
    }

    private void Print(string headline)
    {
        var total = _ticks.Values.Sum();
        Console.WriteLine($"{headline}; types by share of allocation ticks ({total}):");
        foreach (var (type, n) in _ticks.OrderByDescending(p => p.Value).Take(30))
            Console.WriteLine($"{100.0 * n / total,6:0.0}%  {type}");
    }

    public static async Task RunAsync(int rounds = 20)
    {
        var bench = new EngineOverhead { MaxParallel = 2 };
        bench.Setup();
        await bench.Run(); // warm up before listening
        using var sampler = new AllocationSampler();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < rounds; i++) await bench.Run();
        var perTask = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)rounds / NoOpDag.TaskCount;
        sampler.Print($"{perTask:0} bytes allocated per task run");
    }
}
