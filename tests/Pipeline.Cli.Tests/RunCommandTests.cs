using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Pipeline.Cli.Tests;

/// <summary>`workflow run` and `workflow graph` through the real process.</summary>
public sealed class RunCommandTests
{
    private static string Write(string dir, string tasks, string extra = "")
    {
        var path = Path.Combine(dir, "wf.workflow.json");
        File.WriteAllText(path, $$"""{ "name": "cli-test", {{extra}} "tasks": {{tasks}} }""");
        return path;
    }

    private static JsonElement Report(string dir)
    {
        var runs = Directory.GetDirectories(Path.Combine(dir, ".workflow", "runs"));
        Assert.Single(runs);
        return JsonDocument.Parse(File.ReadAllText(Path.Combine(runs[0], "report.json"))).RootElement;
    }

    [Fact]
    public void Hello_sample_runs_and_writes_a_report_with_logs()
    {
        var dir = WorkflowProcess.TempDir();
        var sample = Path.Combine(WorkflowProcess.RepoRoot, "samples", "hello", "hello.workflow.json");
        var (code, stdout, stderr) = WorkflowProcess.Run(dir, "run", sample);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("hello succeeded", stdout);
        Assert.Contains("Critical path:", stdout);
        var report = Report(dir);
        Assert.Equal("succeeded", report.GetProperty("status").GetString());
        var tasks = report.GetProperty("tasks").EnumerateArray().ToList();
        var flaky = tasks.Single(t => t.GetProperty("instance_id").GetString() == "flaky");
        Assert.Equal(2, flaky.GetProperty("attempts").GetArrayLength());
        var greet = tasks.Single(t => t.GetProperty("instance_id").GetString() == "greet");
        var log = Path.Combine(Path.GetDirectoryName(Directory.GetDirectories(Path.Combine(dir, ".workflow", "runs"))[0] + "/")!, greet.GetProperty("stdout_log").GetString()!);
        Assert.Contains("hello from node", File.ReadAllText(log));
    }

    [Fact]
    public void A_failing_task_exits_1_and_shows_why()
    {
        var dir = WorkflowProcess.TempDir();
        var wf = Write(dir, """[ { "id": "compile", "type": "shell", "command": "echo 'main.c:3: error: expected ;' >&2; exit 4" } ]""");
        var (code, stdout, _) = WorkflowProcess.Run(dir, "run", wf);
        Assert.Equal(1, code);
        Assert.Contains("✗ compile failed", stdout);
        Assert.Contains("main.c:3: error: expected ;", stdout);
        Assert.Equal("failed", Report(dir).GetProperty("status").GetString());
    }

    [Fact]
    public void An_invalid_workflow_is_not_run_and_exits_2()
    {
        var dir = WorkflowProcess.TempDir();
        var wf = Write(dir, """[ { "id": "a", "type": "shell", "command": "touch ran", "depends_on": ["missing"] } ]""");
        var (code, _, stderr) = WorkflowProcess.Run(dir, "run", wf);
        Assert.Equal(2, code);
        Assert.Contains("error WF2001", stderr);
        Assert.False(File.Exists(Path.Combine(dir, "ran")));
    }

    [Fact]
    public void A_missing_secret_stops_the_run_before_it_starts()
    {
        var dir = WorkflowProcess.TempDir();
        var wf = Write(dir, """[ { "id": "a", "type": "shell", "command": "touch ran" } ]""", "\"secrets\": [\"PIPELINE_TEST_UNSET_SECRET\"],");
        var (code, _, stderr) = WorkflowProcess.Run(dir, "run", wf);
        Assert.Equal(2, code);
        Assert.Contains("error WF4009", stderr);
        Assert.False(File.Exists(Path.Combine(dir, "ran")));
    }

    [Fact]
    public void Secrets_are_masked_in_console_report_and_logs()
    {
        var dir = WorkflowProcess.TempDir();
        var wf = Write(dir, """[ { "id": "leak", "type": "shell", "live_output": true, "command": "echo the token is ${secrets.DEPLOY_TOKEN}; echo \"tok=${secrets.DEPLOY_TOKEN}\" >> \"$WORKFLOW_OUTPUT\"; echo $DEPLOY_TOKEN >&2; exit 1" } ]""",
            "\"secrets\": [\"DEPLOY_TOKEN\"],");
        var (code, stdout, stderr) = WorkflowProcess.RunWithEnvironment(dir, new Dictionary<string, string> { ["DEPLOY_TOKEN"] = "hunter2-very-secret" }, "run", wf, "--verbose");
        Assert.Equal(1, code);
        Assert.Contains("the token is ***", stdout);
        Assert.DoesNotContain("hunter2", stdout + stderr);
        var runDir = Directory.GetDirectories(Path.Combine(dir, ".workflow", "runs"))[0];
        foreach (var file in Directory.GetFiles(runDir, "*", SearchOption.AllDirectories))
            Assert.DoesNotContain("hunter2", File.ReadAllText(file));
        Assert.Contains("***", File.ReadAllText(Path.Combine(runDir, "logs", "leak.stdout.log")));
    }

    [Fact]
    public void Dry_run_prints_the_plan_and_runs_nothing()
    {
        var dir = WorkflowProcess.TempDir();
        var wf = Write(dir, """[ { "id": "a", "type": "shell", "command": "touch ran", "timeout": 60 }, { "id": "b", "type": "shell", "command": "touch ran", "depends_on": ["a"], "timeout": 30 } ]""");
        var (code, stdout, _) = WorkflowProcess.Run(dir, "run", wf, "--dry-run");
        Assert.Equal(0, code);
        Assert.Contains("level 0: a (shell, timeout 1m00s)", stdout);
        Assert.Contains("critical path: a → b (estimated 1m30s", stdout);
        Assert.False(File.Exists(Path.Combine(dir, "ran")));
        Assert.False(Directory.Exists(Path.Combine(dir, ".workflow")));
    }

    [Fact]
    public void Dry_run_lists_the_migrations_a_run_would_apply_without_touching_the_database()
    {
        var dir = WorkflowProcess.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "migrations"));
        File.WriteAllText(Path.Combine(dir, "migrations", "001_items.sql"), "CREATE TABLE items (id INTEGER PRIMARY KEY);");
        File.WriteAllText(Path.Combine(dir, "migrations", "002_more.sql"), "INSERT INTO items (id) VALUES (1);");
        var wf = Write(dir, """[ { "id": "migrate", "type": "sql", "connection": "${secrets.DB}", "migrations": "migrations" } ]""", "\"secrets\": [\"DB\"],");
        var env = new Dictionary<string, string> { ["DB"] = "Data Source=app.db" };

        var (code, stdout, _) = WorkflowProcess.RunWithEnvironment(dir, env, "run", wf, "--dry-run");
        Assert.Equal(0, code);
        Assert.Contains($"migrate: migrations: 2 pending on SQLite {Path.Combine(dir, "app.db")}: 001_items.sql, 002_more.sql", stdout);
        Assert.False(File.Exists(Path.Combine(dir, "app.db")));

        Assert.Equal(0, WorkflowProcess.RunWithEnvironment(dir, env, "run", wf).ExitCode);
        File.WriteAllText(Path.Combine(dir, "migrations", "003_again.sql"), "INSERT INTO items (id) VALUES (2);");
        var json = JsonDocument.Parse(WorkflowProcess.RunWithEnvironment(dir, env, "run", wf, "--dry-run", "--format", "json").Stdout).RootElement;
        var migrations = json.GetProperty("migrations")[0];
        Assert.Equal("migrate", migrations.GetProperty("task").GetString());
        Assert.Equal(["003_again.sql"], migrations.GetProperty("pending").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public void Json_format_prints_the_report_on_stdout()
    {
        var dir = WorkflowProcess.TempDir();
        var wf = Write(dir, """[ { "id": "a", "type": "shell", "command": "echo hi" } ]""");
        var (code, stdout, _) = WorkflowProcess.Run(dir, "run", wf, "--format", "json");
        Assert.Equal(0, code);
        var report = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("a", report.GetProperty("tasks")[0].GetProperty("task_id").GetString());
    }

    [Fact]
    public void A_workflow_can_be_named_instead_of_given_by_path()
    {
        var dir = WorkflowProcess.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "workflows"));
        File.WriteAllText(Path.Combine(dir, "workflows", "release.workflow.json"), """{ "name": "ship-it", "tasks": [ { "id": "a", "type": "shell", "command": "echo named" } ] }""");
        Assert.Equal(0, WorkflowProcess.Run(dir, "run", "release").ExitCode);
        Assert.Equal(0, WorkflowProcess.Run(dir, "run", "ship-it").ExitCode);
        var (code, _, stderr) = WorkflowProcess.Run(dir, "run", "nope");
        Assert.Equal(2, code);
        Assert.Contains("workflows found: ship-it", stderr);
    }

    [Fact]
    public void A_name_resolves_from_anywhere_in_the_repository_and_runs_are_recorded_at_its_root()
    {
        var dir = WorkflowProcess.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, ".git"));
        Directory.CreateDirectory(Path.Combine(dir, "workflows"));
        Directory.CreateDirectory(Path.Combine(dir, "src", "app"));
        File.WriteAllText(Path.Combine(dir, "workflows", "release.workflow.json"), """{ "name": "ship-it", "tasks": [ { "id": "a", "type": "shell", "command": "echo named" } ] }""");
        var sub = Path.Combine(dir, "src", "app");
        Assert.Equal(0, WorkflowProcess.Run(sub, "run", "ship-it", "--quiet").ExitCode);
        Assert.True(File.Exists(Path.Combine(dir, ".workflow", "state.db")), "the run was not recorded at the repository's root");
        Assert.False(Directory.Exists(Path.Combine(sub, ".workflow")));
        Assert.Contains("ship-it", WorkflowProcess.Run(sub, "history").Stdout);

        var (code, _, stderr) = WorkflowProcess.Run(sub, "run", "shipit");
        Assert.Equal(2, code);
        Assert.Contains("no workflow of that name in this repository; did you mean 'ship-it'?", stderr);
    }

    [Fact]
    public void Ctrl_c_cancels_kills_children_runs_on_failure_and_exits_130()
    {
        var dir = WorkflowProcess.TempDir();
        var pidFile = Path.Combine(dir, "pid");
        var wf = Write(dir, $$"""
            [ { "id": "long", "type": "shell", "command": "echo $$ > '{{pidFile}}'; sleep 1000", "on_failure": ["undo"] },
              { "id": "undo", "type": "shell", "command": "echo undone > '{{dir}}/undone'" } ]
            """);
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var process = WorkflowProcess.Start(dir, stdout, stderr, "run", wf);
        var child = WorkflowProcess.WaitForPid(pidFile);
        Process.Start("kill", ["-INT", process.Id.ToString()])!.WaitForExit();
        Assert.True(process.WaitForExit(30_000), "workflow did not exit after SIGINT");
        Assert.Equal(130, process.ExitCode);
        Assert.True(WorkflowProcess.IsGone(child), "the task's process outlived the run");
        Assert.True(File.Exists(Path.Combine(dir, "undone")), "on_failure did not run after cancellation");
        Assert.Equal("cancelled", Report(dir).GetProperty("status").GetString());
    }

    [Fact]
    public void Graph_prints_mermaid_and_dot()
    {
        var dir = WorkflowProcess.TempDir();
        var wf = Write(dir, """[ { "id": "a", "type": "shell", "command": "x", "on_failure": ["c"] }, { "id": "b", "type": "shell", "command": "y", "depends_on": ["a"] }, { "id": "c", "type": "shell", "command": "z" } ]""");
        var (code, mermaid, _) = WorkflowProcess.Run(dir, "graph", wf);
        Assert.Equal(0, code);
        Assert.Contains("flowchart TD", mermaid);
        Assert.Contains("n0 --> n1", mermaid);
        Assert.Contains("n0 -. on_failure .-> n2", mermaid);
        var (_, dot, _) = WorkflowProcess.Run(dir, "graph", wf, "--dot");
        Assert.Contains("n0 -> n1;", dot);
        Assert.Contains("n0 -> n2 [style=dashed, label=\"on_failure\"];", dot);
    }
}
