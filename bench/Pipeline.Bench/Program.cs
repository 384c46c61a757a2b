using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Pipeline.Bench;

// `dotnet run -c Release --project bench/Pipeline.Bench [-- --quick]` prints BenchmarkDotNet's table,
// then one line per benchmark in microseconds per task, which bench/run.sh puts in its table.
// `-- --processes` prints instead what one short process costs through each launcher, and
// `-- --store` how many task events per second the state store takes, and `-- --loop [seconds]`
// plans and runs the DAG in a loop for a profiler (perf with DOTNET_PerfMapEnabled=1), and
// `-- --allocations` which types a run allocates (sampled), and `-- --process-allocations` the same
// for a chain of real `true` processes.
if (args.Contains("--store"))
{
    StoreThroughput.Run();
    return;
}
if (args.Contains("--processes"))
{
    await ProcessLaunch.RunAsync();
    return;
}
if (args.Contains("--process-allocations"))
{
    await AllocationSampler.RunProcessesAsync();
    return;
}
if (args.Contains("--allocations"))
{
    await AllocationSampler.RunAsync();
    return;
}
if (args.Contains("--loop"))
{
    // For a profiler: plans and runs the 10k DAG over and over for the given seconds (default 20).
    var seconds = args.SkipWhile(a => a != "--loop").Skip(1).Select(a => double.TryParse(a, out var s) ? s : 20).FirstOrDefault(20);
    var bench = new EngineOverhead { MaxParallel = 2 };
    bench.Setup();
    var clock = System.Diagnostics.Stopwatch.StartNew();
    var rounds = 0;
    while (clock.Elapsed.TotalSeconds < seconds)
    {
        bench.Plan();
        await bench.Run();
        rounds++;
    }
    Console.WriteLine($"{rounds} rounds of plan + run in {clock.Elapsed.TotalSeconds:0.0} s");
    return;
}
var quick = args.Contains("--quick");
// The garbage collector as the workflow tool configures it (blocking, see src/Pipeline.Cli/Pipeline.Cli.csproj).
var job = (quick ? Job.ShortRun.WithWarmupCount(1).WithIterationCount(3).WithLaunchCount(1) : Job.Default).WithGcConcurrent(false);
var config = DefaultConfig.Instance.AddJob(job).WithOptions(ConfigOptions.DisableOptimizationsValidator);
var summary = BenchmarkRunner.Run<EngineOverhead>(config);
foreach (var report in summary.Reports)
{
    if (report.ResultStatistics is not { } stats) continue;
    var perTask = stats.Mean / 1000.0 / NoOpDag.TaskCount;
    Console.WriteLine($"RESULT\t{report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo} (max parallel {report.BenchmarkCase.Parameters["MaxParallel"]})\t{perTask:0.00} µs/task\t{stats.Mean / 1e6:0.0} ms total");
}
