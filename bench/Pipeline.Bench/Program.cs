using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Pipeline.Bench;

// `dotnet run -c Release --project bench/Pipeline.Bench [-- --quick]` prints BenchmarkDotNet's table,
// then one line per benchmark in microseconds per task, which bench/run.sh puts in its table.
// `-- --processes` prints instead what one short process costs through each launcher, and
// `-- --store` how many task events per second the state store takes.
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
var quick = args.Contains("--quick");
var job = quick ? Job.ShortRun.WithWarmupCount(1).WithIterationCount(3).WithLaunchCount(1) : Job.Default;
var config = DefaultConfig.Instance.AddJob(job).WithOptions(ConfigOptions.DisableOptimizationsValidator);
var summary = BenchmarkRunner.Run<EngineOverhead>(config);
foreach (var report in summary.Reports)
{
    if (report.ResultStatistics is not { } stats) continue;
    var perTask = stats.Mean / 1000.0 / NoOpDag.TaskCount;
    Console.WriteLine($"RESULT\t{report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo} (max parallel {report.BenchmarkCase.Parameters["MaxParallel"]})\t{perTask:0.00} µs/task\t{stats.Mean / 1e6:0.0} ms total");
}
