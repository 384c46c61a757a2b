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

    public static async Task RunAsync(int rounds = 20)
    {
        var bench = new EngineOverhead { MaxParallel = 2 };
        bench.Setup();
        await bench.Run(); // warm up before listening
        using var sampler = new AllocationSampler();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < rounds; i++) await bench.Run();
        var perTask = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)rounds / NoOpDag.TaskCount;
        var total = sampler._ticks.Values.Sum();
        Console.WriteLine($"{perTask:0} bytes allocated per task run; types by share of allocation ticks ({total}):");
        foreach (var (type, n) in sampler._ticks.OrderByDescending(p => p.Value).Take(30))
            Console.WriteLine($"{100.0 * n / total,6:0.0}%  {type}");
    }
}
