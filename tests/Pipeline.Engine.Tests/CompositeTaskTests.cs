using Pipeline.Engine.Running;

namespace Pipeline.Engine.Tests;

public sealed class CompositeTaskTests : IDisposable
{
    private readonly EngineHarness _h = new();
    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Rollback_undoes_completed_tasks_in_reverse_order_of_completion()
    {
        var log = Path.Combine(_h.Folder, "log");
        var run = await _h.RunTasks($$"""
            [
              { "id": "migrate", "type": "shell", "command": "echo migrate >> '{{log}}'" },
              { "id": "deploy", "type": "shell", "command": "echo deploy >> '{{log}}'", "depends_on": ["migrate"] },
              { "id": "smoke", "type": "shell", "command": "exit 1", "depends_on": ["deploy"] },
              { "id": "never-ran", "type": "shell", "command": "true", "depends_on": ["smoke"] },
              { "id": "undo-migrate", "type": "shell", "command": "echo undo-migrate >> '{{log}}'", "depends_on": ["migrate"] },
              { "id": "undo-deploy", "type": "shell", "command": "echo undo-deploy >> '{{log}}'", "depends_on": ["deploy"] },
              { "id": "undo-never", "type": "shell", "command": "echo undo-never >> '{{log}}'", "depends_on": ["never-ran"] },
              { "id": "page-oncall", "type": "shell", "command": "echo page >> '{{log}}'" }
            ]
            """, extraFields: """ "rollback": ["undo-migrate", "page-oncall", "undo-deploy", "undo-never"] """);
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(["migrate", "deploy", "undo-deploy", "undo-migrate", "page"], File.ReadAllLines(log));
        Assert.Equal("rollback", run.Task("rollback/undo-deploy").Role);
    }

    [Fact]
    public async Task Rollback_does_not_run_when_the_workflow_succeeds()
    {
        var run = await _h.RunTasks("""
            [ { "id": "a", "type": "shell", "command": "true" }, { "id": "undo", "type": "shell", "command": "true" } ]
            """, extraFields: """ "rollback": ["undo"] """);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.DoesNotContain(run.Tasks, t => t.Role == "rollback");
    }

    [Fact]
    public async Task On_success_callbacks_run_after_the_task()
    {
        var run = await _h.RunTasks("""
            [
              { "id": "build", "type": "shell", "command": "true", "on_success": ["tell"], "on_failure": ["mourn"] },
              { "id": "tell", "type": "shell", "command": "echo \"$WORKFLOW_TASK_ID $WORKFLOW_TASK_STATUS\"" },
              { "id": "mourn", "type": "shell", "command": "true" }
            ]
            """);
        Assert.Equal(["build succeeded"], _h.Lines("build/tell"));
        Assert.DoesNotContain(run.Tasks, t => t.TaskId == "mourn");
    }

    [Fact]
    public async Task Wait_for_any_succeeds_with_the_first_success_and_cancels_the_rest()
    {
        var run = await _h.RunTasks("""
            [ { "id": "mirrors", "type": "parallel", "wait_for": "any", "tasks": [
                { "id": "broken", "type": "shell", "command": "exit 1" },
                { "id": "fast", "type": "shell", "command": "sleep 0.3; echo fast" },
                { "id": "slow", "type": "shell", "command": "sleep 30" } ] } ]
            """, options: new RunOptions { MaxParallel = 4 });
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(TaskState.Succeeded, run.Task("mirrors").State);
        Assert.Equal("fast", run.Task("mirrors").Outputs["winner"]);
        Assert.Equal(TaskState.Failed, run.Task("mirrors/broken").State);
        Assert.Equal(TaskState.Cancelled, run.Task("mirrors/slow").State);
        Assert.True(run.Duration < TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Wait_for_all_fails_at_the_first_failure_and_first_takes_the_first_to_finish()
    {
        var run = await _h.RunTasks("""
            [
              { "id": "all", "type": "parallel", "tasks": [
                { "id": "ok", "type": "shell", "command": "true" },
                { "id": "bad", "type": "shell", "command": "sleep 0.1; exit 2" },
                { "id": "slow", "type": "shell", "command": "sleep 30" } ] },
              { "id": "first", "type": "parallel", "wait_for": "first", "tasks": [
                { "id": "quick-fail", "type": "shell", "command": "exit 5" },
                { "id": "slow2", "type": "shell", "command": "sleep 30" } ] }
            ]
            """, options: new RunOptions { MaxParallel = 6 });
        Assert.Equal(TaskState.Failed, run.Task("all").State);
        Assert.Contains("'bad' failed", run.Task("all").Error);
        Assert.Equal(TaskState.Cancelled, run.Task("all/slow").State);
        Assert.Equal(TaskState.Failed, run.Task("first").State);
        Assert.Equal(TaskState.Cancelled, run.Task("first/slow2").State);
    }

    [Fact]
    public async Task Parallel_group_timeout_bounds_the_whole_group()
    {
        var run = await _h.RunTasks("""
            [ { "id": "group", "type": "parallel", "timeout": 1, "tasks": [
                { "id": "a", "type": "shell", "command": "sleep 30" },
                { "id": "b", "type": "shell", "command": "sleep 30" } ] } ]
            """);
        Assert.Equal(TaskState.TimedOut, run.Task("group").State);
        Assert.Equal(TaskState.Cancelled, run.Task("group/a").State);
    }

    [Fact]
    public async Task Loop_runs_each_item_with_item_and_index()
    {
        var run = await _h.RunTasks("""
            [ { "id": "regions", "type": "loop", "items": ["eu", "us", "ap"],
                "task": { "id": "deploy-region", "type": "shell", "command": "echo ${index}:${item}" } } ]
            """);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(["0:eu"], _h.Lines("regions/deploy-region[0]"));
        Assert.Equal(["2:ap"], _h.Lines("regions/deploy-region[2]"));
        Assert.Equal("3", run.Task("regions").Outputs["succeeded"]);
    }

    [Fact]
    public async Task Loop_with_stop_on_failure_starts_no_item_after_a_failure()
    {
        var run = await _h.RunTasks("""
            [ { "id": "l", "type": "loop", "items": [1, 2, 3, 4], "stop_on_failure": true,
                "task": { "id": "step", "type": "shell", "command": "[ ${item} -ne 2 ]" } } ]
            """);
        Assert.Equal(TaskState.Failed, run.Task("l").State);
        Assert.Contains(run.Tasks, t => t.InstanceId == "l/step[1]" && t.State == TaskState.Failed);
        Assert.DoesNotContain(run.Tasks, t => t.InstanceId is "l/step[2]" or "l/step[3]");
        Assert.Contains("2 not started", run.Task("l").Error);
    }

    [Fact]
    public async Task Loop_without_stop_on_failure_runs_every_item_in_parallel()
    {
        var run = await _h.RunTasks("""
            [ { "id": "l", "type": "loop", "items": [1, 2, 3, 4], "stop_on_failure": false, "parallel": true,
                "task": { "id": "step", "type": "shell", "command": "sleep 0.3; [ ${item} -ne 2 ]" } } ]
            """, options: new RunOptions { MaxParallel = 4 });
        Assert.Equal(TaskState.Failed, run.Task("l").State);
        Assert.Equal(4, run.Tasks.Count(t => t.TaskId == "step"));
        var items = run.Tasks.Where(t => t.TaskId == "step").ToList();
        Assert.True(items.Max(t => t.StartedAt) < items.Min(t => t.FinishedAt), "items should overlap");
    }

    [Fact]
    public async Task Loop_items_from_an_expression_over_an_output()
    {
        var run = await _h.RunTasks("""
            [
              { "id": "list", "type": "shell", "command": "echo 'files=[\"a.txt\",\"b.txt\"]' >> \"$WORKFLOW_OUTPUT\"" },
              { "id": "each", "type": "loop", "depends_on": ["list"], "items": "${fromJSON(tasks.list.outputs.files)}",
                "task": { "id": "touch", "type": "shell", "command": "echo ${item}" } }
            ]
            """);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(["b.txt"], _h.Lines("each/touch[1]"));
    }

    [Fact]
    public async Task Conditional_runs_then_or_else()
    {
        var run = await _h.RunTasks("""
            [
              { "id": "pick", "type": "conditional", "condition": "env.TARGET == 'prod'",
                "then": [{ "id": "to-prod", "type": "shell", "command": "echo prod" }],
                "else": [{ "id": "to-staging", "type": "shell", "command": "echo staging" }] }
            ]
            """, extraFields: "\"environment\": { \"TARGET\": \"staging\" }");
        Assert.Equal("else", run.Task("pick").Outputs["branch"]);
        Assert.Equal(["staging"], _h.Lines("pick/to-staging"));
        Assert.DoesNotContain(run.Tasks, t => t.TaskId == "to-prod");
    }
}
