namespace Pipeline.Build.Tests;

/// <summary>Targets that depend on generated workflows run them with the engine: a task with what it depends on, or the whole workflow.</summary>
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
    public void The_generated_workflow_is_typed()
    {
        Assert.Equal("stamps", Workflows.Stamps.Workflow.Name);
        Assert.Equal(["first", "second", "other"], Workflows.Stamps.Workflow.Tasks.Select(t => t.Id));
        Assert.Equal(["first"], Workflows.Stamps.Workflow.Definition!.FindTask("second")!.DependsOn.Select(d => d.Id));
    }
}
