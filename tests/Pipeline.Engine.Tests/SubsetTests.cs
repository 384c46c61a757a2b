using Pipeline.Core.Loading;
using Pipeline.Engine.Planning;
using Pipeline.Engine.Running;

namespace Pipeline.Engine.Tests;

/// <summary>"Run this task" (the build project's <c>workflow:task</c>): the task, what it depends on, and only what those invoke.</summary>
public sealed class SubsetTests : IDisposable
{
    private readonly EngineHarness _h = new();
    public void Dispose() => _h.Dispose();

    private string Deploy(string log) => _h.Write("deploy.workflow.json", $$"""
        { "name": "deploy", "rollback": ["undo"], "tasks": [
          { "id": "checkout", "type": "shell", "command": "echo checkout >> '{{log}}'" },
          { "id": "build", "type": "shell", "command": "echo build >> '{{log}}'", "depends_on": ["checkout"], "on_success": ["built"] },
          { "id": "built", "type": "shell", "command": "echo built >> '{{log}}'" },
          { "id": "ship", "type": "shell", "command": "echo ship >> '{{log}}'; exit 1", "depends_on": ["build"],
            "on_success": ["notify-success"], "on_failure": ["rescue", "notify-failure"] },
          { "id": "rescue", "type": "parallel", "tasks": ["page"] },
          { "id": "page", "type": "shell", "command": "echo page >> '{{log}}'" },
          { "id": "notify-success", "type": "shell", "command": "echo notify-success >> '{{log}}'" },
          { "id": "notify-failure", "type": "shell", "command": "echo notify-failure >> '{{log}}'" },
          { "id": "undo", "type": "shell", "command": "echo undo >> '{{log}}'" }
        ] }
        """);

    private static Core.Model.WorkflowDefinition Load(string path) => WorkflowLoader.Load(path).Workflow!;

    [Fact]
    public void A_task_whose_invoker_is_left_out_is_left_out_too()
    {
        var subset = WorkflowSubset.For(Load(Deploy("log")), ["checkout"]);
        Assert.Equal(["checkout"], subset.Tasks.Select(t => t.Id.Value));
        Assert.Empty(subset.Rollback);

        var withBuild = WorkflowSubset.For(Load(Deploy("log")), ["build"]);
        Assert.Equal(["checkout", "build", "built"], withBuild.Tasks.Select(t => t.Id.Value));

        var withShip = WorkflowSubset.For(Load(Deploy("log")), ["ship"]);
        Assert.Equal(["checkout", "build", "built", "ship", "rescue", "page", "notify-success", "notify-failure"], withShip.Tasks.Select(t => t.Id.Value));
    }

    [Fact]
    public async Task Running_one_task_runs_no_callback_or_rollback_it_never_invokes()
    {
        var log = Path.Combine(_h.Folder, "log");
        var subset = WorkflowSubset.For(Load(Deploy(log)), ["checkout"]);
        var run = await new WorkflowEngine().RunAsync(ExecutionPlan.Create(subset), new RunOptions());
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(["checkout"], File.ReadAllLines(log));

        File.Delete(log);
        var ship = await new WorkflowEngine().RunAsync(ExecutionPlan.Create(WorkflowSubset.For(Load(Deploy(log)), ["ship"])), new RunOptions());
        Assert.Equal(RunStatus.Failed, ship.Status);
        // Its failure callbacks run (it invokes them); the workflow's rollback (undo) belongs to whole runs.
        Assert.Equal(new[] { "build", "built", "checkout", "notify-failure", "page", "ship" }, File.ReadAllLines(log).Order());
    }
}
