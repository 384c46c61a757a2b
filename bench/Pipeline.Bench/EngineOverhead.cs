using BenchmarkDotNet.Attributes;
using Pipeline.Core.Model;
using Pipeline.Engine.Executors;
using Pipeline.Engine.Planning;
using Pipeline.Engine.Running;

namespace Pipeline.Bench;

/// <summary>Engine overhead per task: the DAG runs with an executor that does nothing.</summary>
[MemoryDiagnoser]
public class EngineOverhead
{
    private WorkflowDefinition _workflow = null!;
    private ExecutionPlan _plan = null!;
    private RunOptions _options = null!;

    [Params(2, 8)]
    public int MaxParallel { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _workflow = NoOpDag.Build();
        _plan = ExecutionPlan.Create(_workflow);
        _options = new RunOptions
        {
            MaxParallel = MaxParallel,
            Executors = new Dictionary<TaskType, ITaskExecutor> { [TaskType.Shell] = new NoOpExecutor() },
        };
    }

    [Benchmark(Description = "plan 10k tasks")]
    public ExecutionPlan Plan() => ExecutionPlan.Create(_workflow);

    [Benchmark(Description = "run 10k no-op tasks")]
    public async Task<RunResult> Run()
    {
        var result = await new WorkflowEngine().RunAsync(_plan, _options);
        if (result.Status != RunStatus.Succeeded) throw new InvalidOperationException(result.Error);
        return result;
    }

    private sealed class NoOpExecutor : ITaskExecutor
    {
        private static readonly Task<ExecutionOutcome> Done = Task.FromResult(new ExecutionOutcome { Succeeded = true });
        public Task<ExecutionOutcome> ExecuteAsync(TaskInvocation invocation, CancellationToken cancellationToken) => Done;
    }
}
