namespace Pipeline.Build.Tests;

/// <summary>Targets that depend on generated workflows run them with the engine: a task with what it depends on, or the whole workflow.</summary>
[Collection("stamps")] // both set STAMP_DIR for the processes they start
public sealed class WorkflowTests : IDisposable
{
    private readonly string _stamps = Directory.CreateTempSubdirectory("pipeline-stamps-").FullName;

    public WorkflowTests() => Environment.SetEnvironmentVariable("STAMP_DIR", _stamps);

    public void Dispose() => Directory.Delete(_stamps, recursive: true);

    private string[] Stamps() => Directory.GetFiles(_stamps).Select(Path.GetFileName).Order().ToArray()!;

    [Fact]
    public async Task A_target_on_a_workflow_task_runs_that_task_and_its_dependencies_only()
    {
        var (exit, output, errors) = await Harness.Run(new WorkflowBuild(), ["second"]);
        Assert.True(exit == 0, output + errors);
        Assert.Equal(["first", "second"], Stamps());
        Assert.Contains("stamps │ ✓ second succeeded", output);
    }

    [Fact]
    public async Task A_workflow_and_one_of_its_tasks_can_be_named_on_the_command_line()
    {
        var (exit, _, _) = await Harness.Run(new WorkflowBuild(), ["stamps:other"]);
        Assert.Equal(0, exit);
        Assert.Equal(["other"], Stamps());

        var (exit2, _, _) = await Harness.Run(new WorkflowBuild(), ["everything"]);
        Assert.Equal(0, exit2);
        Assert.Equal(["first", "other", "second"], Stamps());
    }

    [Fact]
    public async Task A_bare_task_name_is_refused_with_the_workflow_task_name_to_use()
    {
        // `-- other` used to run the task 'other' of whichever workflow had one, silently.
        var (exit, _, errors) = await Harness.Run(new WorkflowBuild(), ["other"]);
        Assert.Equal(2, exit);
        Assert.Contains("'other' is not a target or a workflow; it is a task of workflow 'stamps'", errors);
        Assert.Contains("stamps:other", errors);
        Assert.Empty(Stamps());
    }

    [Fact]
    public async Task The_dry_run_lists_every_task_a_workflow_node_would_run()
    {
        var (exit, dry, _) = await Harness.Run(new WorkflowBuild(), ["stamps:second", "--dry-run"]);
        Assert.Equal(0, exit);
        Assert.Contains(": first, second", dry);
        Assert.DoesNotContain("other", dry);
        Assert.Empty(Stamps());
    }

    [Fact]
    public async Task A_target_reads_what_a_workflow_task_published_and_only_after_depending_on_it()
    {
        var (exit, output, _) = await Harness.Run(new WorkflowBuild(), ["read-count"]);
        Assert.Equal(0, exit);
        Assert.Contains("ReadCount │ count is 7", output);

        var (exit2, output2, _) = await Harness.Run(new WorkflowBuild(), ["read-without-depending"]);
        Assert.Equal(1, exit2);
        Assert.Contains("task 'first' of workflow 'stamps' has not run in this build; make the target depend on it", output2);
    }

    [Fact]
    public async Task Build_runs_are_recorded_for_workflow_history_with_the_trigger_build()
    {
        var state = Directory.CreateTempSubdirectory("pipeline-build-history-").FullName;
        var (exit, output, errors) = await Harness.Run(new WorkflowBuild(), ["second", "--state-dir", state]);
        Assert.True(exit == 0, output + errors);

        using var store = Pipeline.State.SqliteStateStore.Open(Path.Combine(state, "state.db"));
        var runs = store.History(new Pipeline.State.HistoryQuery());
        Assert.All(runs, r => Assert.Equal("build", r.Trigger));
        Assert.All(runs, r => Assert.Equal("succeeded", r.Status));
        // The workflow's own run, under its name, with only the tasks the subset ran and their logs' report.
        var stamps = Assert.Single(runs, r => r.Workflow == "stamps");
        var tasks = store.Find(stamps.Id)!.Tasks;
        Assert.Equal(["first", "second"], tasks.Select(t => t.TaskId).Order());
        Assert.Contains("count", tasks.Single(t => t.TaskId == "first").Outputs);
        Assert.True(File.Exists(Path.Combine(state, "runs", stamps.Id, "report.json")));
        // The build's own run, under the build project's name: its targets and workflow nodes.
        var build = Assert.Single(runs, r => r.Workflow == "Pipeline.Build.Tests");
        Assert.Contains(store.Find(build.Id)!.Tasks, t => t.TaskId == "Second" && t.Status == "succeeded");
        Assert.Contains(store.Find(build.Id)!.Tasks, t => t.TaskId == "stamps" && t.Status == "succeeded");
        Assert.EndsWith("Pipeline.Build.Tests.csproj", build.File);
    }

    [Fact]
    public async Task A_failed_workflow_in_a_build_is_recorded_failed_and_plan_and_dry_run_record_nothing()
    {
        var state = Directory.CreateTempSubdirectory("pipeline-build-history-").FullName;
        Assert.Equal(0, (await Harness.Run(new WorkflowBuild(), ["second", "--dry-run", "--state-dir", state])).Exit);
        Assert.Equal(0, (await Harness.Run(new WorkflowBuild(), ["second", "--plan", "--state-dir", state])).Exit);
        Assert.False(File.Exists(Path.Combine(state, "state.db")));

        Environment.SetEnvironmentVariable("STAMP_DIR", Path.Combine(_stamps, "missing"));
        try
        {
            var (exit, _, _) = await Harness.Run(new WorkflowBuild(), ["stamps:first", "--state-dir", state]);
            Assert.Equal(1, exit);
        }
        finally { Environment.SetEnvironmentVariable("STAMP_DIR", _stamps); }
        using var store = Pipeline.State.SqliteStateStore.Open(Path.Combine(state, "state.db"));
        var runs = store.History(new Pipeline.State.HistoryQuery());
        Assert.Equal("failed", Assert.Single(runs, r => r.Workflow == "stamps").Status);
        Assert.Equal("failed", Assert.Single(runs, r => r.Workflow == "Pipeline.Build.Tests").Status);
    }

    [Fact]
    public void The_generated_workflow_is_typed()
    {
        Assert.Equal("stamps", Workflows.Stamps.Workflow.Name);
        Assert.Equal(["first", "second", "other"], Workflows.Stamps.Workflow.Tasks.Select(t => t.Id));
        Assert.Equal(["first"], Workflows.Stamps.Workflow.Definition!.FindTask("second")!.DependsOn.Select(d => d.Id));
    }
}
