using Pipeline.Core.Model;
using Pipeline.Engine.Executors;
using Pipeline.Engine.Running;

namespace Pipeline.Engine.Tests;

/// <summary>Docker tasks need their plug-in: without it an engine refuses them at their position (WF4010), with it they run.</summary>
public sealed class ExecutorRegistryTests : IDisposable
{
    private readonly EngineHarness _h = new();
    public void Dispose() => _h.Dispose();

    private sealed class FakeDocker : ITaskExecutor
    {
        public Task<ExecutionOutcome> ExecuteAsync(TaskInvocation invocation, CancellationToken cancellationToken) =>
            Task.FromResult(new ExecutionOutcome { Succeeded = true, ExitCode = 0, Outputs = new Dictionary<string, string> { ["ran"] = invocation.ExecutionId } });
    }

    [Fact]
    public async Task A_docker_task_is_refused_without_the_plug_in_and_runs_with_it()
    {
        var plan = EngineHarness.Plan(_h.Write("box.workflow.json", """{ "name": "box", "tasks": [ { "id": "box", "type": "docker", "image": "busybox" } ] }"""));
        var refused = Assert.Single(WorkflowEngine.CheckSupported(plan));
        Assert.Equal(("WF4010", 1), (refused.Code, refused.Span.Line));
        Assert.Contains("RunOptions.Executors", refused.Hint);

        var options = new RunOptions { Executors = new Dictionary<TaskType, ITaskExecutor> { [TaskType.Docker] = new FakeDocker() } };
        Assert.Empty(WorkflowEngine.CheckSupported(plan, options));
        var run = await new WorkflowEngine().RunAsync(plan, options);
        Assert.Equal(run.ExecutionId, run.Task("box").Outputs["ran"]);
    }
}
