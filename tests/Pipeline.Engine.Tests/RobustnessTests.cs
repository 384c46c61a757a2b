using Pipeline.Core.Model;
using Pipeline.Engine.Events;
using Pipeline.Engine.Executors;
using Pipeline.Engine.Running;

namespace Pipeline.Engine.Tests;

public sealed class RobustnessTests : IDisposable
{
    private readonly EngineHarness _h = new();
    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task A_throwing_observer_neither_stops_nor_hangs_the_run()
    {
        var run = await _h.RunTasks("""[ { "id": "a", "type": "shell", "command": "true" }, { "id": "b", "type": "shell", "command": "true", "depends_on": ["a"] } ]""",
            options: new RunOptions { Observers = [new Throwing()] }).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Contains("observer", Assert.Single(run.Warnings));
    }

    [Fact]
    public async Task An_executor_bug_fails_the_task_instead_of_hanging()
    {
        var run = await _h.RunTasks("""[ { "id": "a", "type": "shell", "command": "true" }, { "id": "b", "type": "shell", "command": "true", "depends_on": ["a"] } ]""",
            options: new RunOptions { Executors = new Dictionary<TaskType, ITaskExecutor> { [TaskType.Shell] = new Buggy() } }).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("internal error", run.Task("a").Error);
        Assert.Equal(TaskState.Skipped, run.Task("b").State);
    }

    private sealed class Throwing : IRunObserver
    {
        public void OnEvent(RunEvent e) => throw new InvalidDataException("display broke");
    }

    private sealed class Buggy : ITaskExecutor
    {
        public Task<ExecutionOutcome> ExecuteAsync(TaskInvocation invocation, CancellationToken cancellationToken) => throw new NullReferenceException("oops");
    }
}
