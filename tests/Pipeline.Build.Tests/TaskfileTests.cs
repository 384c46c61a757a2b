namespace Pipeline.Build.Tests;

/// <summary>A build class and a Taskfile in one graph: typed Taskfile tasks as dependencies of targets, and a target a Taskfile task waits for.</summary>
[Collection("stamps")]
public sealed class TaskfileTests : IDisposable
{
    private readonly string _stamps = Directory.CreateTempSubdirectory("pipeline-taskfile-").FullName;

    public TaskfileTests() => Environment.SetEnvironmentVariable("STAMP_DIR", _stamps);

    public void Dispose() => Directory.Delete(_stamps, recursive: true);

    private string[] Log() => File.Exists(Path.Combine(_stamps, "log")) ? File.ReadAllLines(Path.Combine(_stamps, "log")) : [];

    [Fact]
    public async Task A_target_depends_on_Taskfile_tasks_and_a_Taskfile_task_waits_for_a_target()
    {
        var (exit, output, errors) = await Harness.Run(new TaskfileBuild(), ["package"]);
        Assert.True(exit == 0, output + errors);
        var log = Log();
        // generate (C#) before compile (Taskfile); gen once for compile and lint (run: once, one go-task run); package last.
        Assert.Single(log, l => l == "gen");
        Assert.True(Array.IndexOf(log, "generate") < Array.IndexOf(log, "compile hello"), string.Join(",", log));
        Assert.Equal("package", log[^1]);
        Assert.Contains("Taskfile │ task: [compile] echo \"compile hello\"", output);
        Assert.Contains("✓ Taskfile:compile succeeded", output);
    }

    [Fact]
    public async Task A_second_run_finds_the_task_up_to_date_and_variables_come_from_the_command_line()
    {
        var (exit, _, _) = await Harness.Run(new TaskfileBuild(), ["Taskfile:compile", "generate", "GREETING=hi"]);
        Assert.Equal(0, exit);
        Assert.Contains("compile hi", Log());

        var (exit2, output2, _) = await Harness.Run(new TaskfileBuild(), ["Taskfile:compile"]);
        Assert.Equal(0, exit2);
        Assert.Contains("task: Task \"compile\" is up to date", output2);
        Assert.Single(Log(), l => l.StartsWith("compile"));
    }

    [Fact]
    public async Task A_Taskfile_task_runs_beside_an_independent_target()
    {
        // waits blocks until Release has seen it start: they can only both finish if they overlap.
        var (exit, output, errors) = await Harness.Run(new TaskfileBuild(), ["together"]);
        Assert.True(exit == 0, output + errors);
    }

    [Fact]
    public async Task Failures_keep_go_tasks_messages_and_exit_codes()
    {
        var (exit, output, _) = await Harness.Run(new TaskfileBuild(), ["Taskfile:guarded"]);
        Assert.Equal(1, exit); // a failed precondition: 1, as with workflow run -t
        Assert.Contains("task: ALLOW must be set", output);
        Assert.Contains("✗ Taskfile:guarded failed", output);

        var (exit2, output2, _) = await Harness.Run(new TaskfileBuild(), ["Taskfile:needs-region"]);
        Assert.Equal(2, exit2); // a missing required variable: 2
        Assert.Contains("task: Task \"needs-region\" cancelled because it is missing required variables: REGION", output2);

        var (exit3, _, errors3) = await Harness.Run(new TaskfileBuild(), ["Taskfile:nope"]);
        Assert.Equal(2, exit3);
        Assert.Contains("task: Task \"nope\" does not exist", errors3);
        Assert.Empty(Log());
    }

    [Fact]
    public async Task Help_lists_the_Taskfile_and_its_tasks_apart_from_the_workflows()
    {
        var (exit, help, _) = await Harness.Run(new TaskfileBuild(), ["--help"]);
        Assert.Equal(0, exit);
        Assert.Contains("Taskfiles (go-task's semantics", help);
        Assert.Matches(@"\n  Taskfile\s+Taskfile\.yml\n\s+tasks: gen, compile, lint, guarded, needs-region, waits\n", help);
        Assert.Contains("NAME=value sets a Taskfile variable", help);
    }

    [Fact]
    public async Task The_dry_run_shows_each_Taskfile_task_running_or_up_to_date()
    {
        File.WriteAllText(Path.Combine(_stamps, "compiled"), "");
        var (exit, output, _) = await Harness.Run(new TaskfileBuild(), ["package", "--dry-run"]);
        Assert.Equal(0, exit);
        Assert.Contains("Taskfile:compile: Taskfile Taskfile.yml", output);
        Assert.Contains("compile: up to date, skipped", output);
        Assert.Contains("lint: runs (no sources or status to skip it)", output);
        Assert.Empty(Log());
    }

    [Fact]
    public async Task The_Taskfile_run_is_recorded_with_its_variables()
    {
        var state = Directory.CreateTempSubdirectory("pipeline-build-history-").FullName;
        var (exit, _, _) = await Harness.Run(new TaskfileBuild(), ["Taskfile:lint", "GREETING=hi", "API_TOKEN=s3cr3t-value", "--state-dir", state]);
        Assert.Equal(0, exit);
        using var store = Pipeline.State.SqliteStateStore.Open(Path.Combine(state, "state.db"));
        var runs = store.History(new Pipeline.State.HistoryQuery());
        var taskfile = Assert.Single(runs, r => r.File!.EndsWith("Taskfile.yml"));
        Assert.Equal(("build", "succeeded"), (taskfile.Trigger, taskfile.Status));
        Assert.Contains("\"GREETING\":\"hi\"", taskfile.Parameters);
        Assert.Contains("\"API_TOKEN\":\"***\"", taskfile.Parameters); // a secret-looking name is masked
        Assert.Equal(["gen", "lint"], store.Find(taskfile.Id)!.Tasks.Select(t => t.TaskId));
    }
}
