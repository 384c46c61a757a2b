using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Pipeline.Generators.Bench;

// `dotnet run -c Release --project bench/Pipeline.Generators.Bench [-- --quick]`: BenchmarkDotNet's
// table, then one RESULT line per benchmark for bench/run.sh. In process: BenchmarkDotNet's own
// generated project would not carry the generator's dependencies.
var job = args.Contains("--quick") ? Job.ShortRun.WithWarmupCount(1).WithIterationCount(3).WithLaunchCount(1) : Job.Default;
var config = DefaultConfig.Instance.AddJob(job.WithToolchain(InProcessEmitToolchain.Instance)).WithOptions(ConfigOptions.DisableOptimizationsValidator);
foreach (var report in BenchmarkRunner.Run<GeneratorCost>(config).Reports)
{
    if (report.ResultStatistics is not { } s) continue;
    var name = report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo;
    var perTask = name.Contains("re-run") ? "–" : $"{s.Mean / 1e3 / GeneratorCost.TaskCount:0.0} µs/task";
    Console.WriteLine($"RESULT\t{name}\t{s.Mean / 1e6:0.000} ms\t{perTask}");
}
