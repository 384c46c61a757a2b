using System.Text.Json;
using Pipeline.State;
using Pipeline.Testing;

namespace Pipeline.Cli.Tests;

/// <summary>`workflow list` and `workflow doctor` on real folders, stores and a real Docker engine.</summary>
public sealed class ListDoctorTests
{
    private static string Folder()
    {
        var dir = WorkflowProcess.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "workflows"));
        File.WriteAllText(Path.Combine(dir, "workflows", "nightly.workflow.json"), """
            { "name": "nightly", "version": "1.2.0", "category": "ops",
              "trigger": { "type": "schedule", "config": { "schedule": "0 2 * * *", "timezone": "UTC" } },
              "tasks": [ { "id": "a", "type": "shell", "command": "exit ${env.CODE}" }, { "id": "b", "type": "shell", "command": "true", "depends_on": ["a"] } ],
              "environment": { "CODE": "0" } }
            """);
        File.WriteAllText(Path.Combine(dir, "workflows", "broken.workflow.json"), """{ "name": "broken", "tasks": [ { "id": "x", "type": "shel", "command": "true" } ] }""");
        return dir;
    }

    [Fact]
    public void List_shows_each_workflow_with_its_trigger_next_fire_tasks_and_recorded_runs()
    {
        var dir = Folder();
        Assert.Equal(0, WorkflowProcess.Run(dir, "run", "nightly", "--quiet").ExitCode);
        Assert.Equal(1, WorkflowProcess.Run(dir, "run", "nightly", "--quiet", "-e", "CODE=3").ExitCode);

        var (code, stdout, _) = WorkflowProcess.Run(dir, "ls");
        Assert.Equal(0, code);
        Assert.Matches(@"NAME\s+VERSION\s+TRIGGER\s+TASKS\s+LAST RUN \(UTC\)\s+RUNS\s+SUCCESS\s+AVG\s+P95\s+FILE", stdout);
        Assert.Matches(@"nightly\s+1\.2\.0\s+schedule 0 2 \* \* \* \(next \d{4}-\d\d-\d\d 02:00:00\)\s+2\s+failed \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+2\s+50%", stdout);
        Assert.Matches(@"broken\s+1 error\(s\): workflow validate workflows/broken.workflow.json\s+never", stdout);

        var json = JsonDocument.Parse(WorkflowProcess.Run(dir, "list", "--format", "json").Stdout).RootElement;
        var nightly = json.EnumerateArray().Single(r => r.GetProperty("name").GetString() == "nightly");
        Assert.Equal((2, 1, 1, 0.5, "ops", "failed"), (nightly.GetProperty("runs").GetInt32(), nightly.GetProperty("successes").GetInt32(), nightly.GetProperty("failures").GetInt32(),
            nightly.GetProperty("success_rate").GetDouble(), nightly.GetProperty("category").GetString(), nightly.GetProperty("last_status").GetString()));
        Assert.EndsWith("T02:00:00.0000000Z", nightly.GetProperty("next_fire").GetString());
        Assert.False(json.EnumerateArray().Single(r => r.GetProperty("file").GetString()!.Contains("broken")).GetProperty("valid").GetBoolean());

        // The same per-workflow figures close `workflow history` and open `workflow health`.
        Assert.Matches(@"WORKFLOW\s+RUNS\s+SUCCEEDED\s+FAILED\s+SUCCESS\s+AVG\s+P95\s+nightly\s+2\s+1\s+1\s+50%", WorkflowProcess.Run(dir, "history", "--limit", "1").Stdout);
        Assert.Matches(@"nightly\s+2\s+1\s+1\s+50%", WorkflowProcess.Run(dir, "health").Stdout);
        var health = JsonDocument.Parse(WorkflowProcess.Run(dir, "health", "--format", "json").Stdout).RootElement.GetProperty("workflows")[0];
        Assert.Equal(("nightly", 2, 0.5), (health.GetProperty("workflow").GetString(), health.GetProperty("runs").GetInt32(), health.GetProperty("success_rate").GetDouble()));
    }

    [Fact]
    public void Doctor_reports_invalid_files_a_bad_config_and_interrupted_runs_each_with_a_fix()
    {
        var dir = Folder();
        File.WriteAllText(Path.Combine(dir, ".workflow-config.json"), """{ "diagnostics": { "WF9999": "none" } }""");
        using (var store = SqliteStateStore.Open(Path.Combine(dir, ".workflow", "state.db")))
            store.ExecutionStarted(new ExecutionRecord { Id = "20261130t000000000z-dead01", Workflow = "nightly", File = "workflows/nightly.workflow.json", Status = "running",
                StartedAt = DateTimeOffset.UtcNow.AddMinutes(-5), Pid = 999_999, Host = Environment.MachineName });
        var env = new Dictionary<string, string> { ["DOCKER_HOST"] = $"unix://{dir}/no-docker.sock" };

        var (code, stdout, _) = WorkflowProcess.RunWithEnvironment(dir, env, "doctor");
        Assert.Equal(1, code);
        Assert.Contains("[error] files     workflows/broken.workflow.json(1,", stdout);
        Assert.Contains("fix: workflow validate workflows/broken.workflow.json", stdout);
        Assert.Contains("[error] config    .workflow-config.json", stdout);
        Assert.Contains("is not a diagnostic code", stdout);
        Assert.Contains("[warn]  state     execution 20261130t000000000z-dead01 of nightly is recorded as running, but its process 999999 is gone", stdout);
        Assert.Contains("fix: workflow resume 20261130t000000000z-dead01", stdout);
        Assert.Contains("[info]  docker    no Docker engine", stdout);
        Assert.Matches(@"\[ok\]\s+tools\s+dotnet \d+\.\d+", stdout);

        var json = JsonDocument.Parse(WorkflowProcess.RunWithEnvironment(dir, env, "doctor", "--format", "json").Stdout).RootElement;
        Assert.Contains(json.EnumerateArray(), f => f.GetProperty("area").GetString() == "state" && f.GetProperty("level").GetString() == "warning");
    }

    [Fact]
    public async Task Doctor_pings_the_docker_engine_and_fix_removes_containers_of_runs_that_are_over()
    {
        var dir = WorkflowProcess.TempDir();
        File.WriteAllText(Path.Combine(dir, "box.workflow.json"), $$"""{ "name": "box", "tasks": [ { "id": "c", "type": "docker", "image": "{{DockerTestEngine.Image}}", "command": "true" } ] }""");
        var execution = "doctor-" + Guid.NewGuid().ToString("N")[..8];
        var left = await DockerTestEngine.Client.Containers.CreateContainerAsync(new Docker.DotNet.Models.CreateContainerParameters
        {
            Image = DockerTestEngine.Image, Cmd = ["sleep", "1000"], Labels = Pipeline.Executors.Docker.ContainerLabels.For(execution, "c", "box"),
        });
        var env = new Dictionary<string, string> { ["DOCKER_HOST"] = DockerTestEngine.Host };

        var (code, stdout, _) = WorkflowProcess.RunWithEnvironment(dir, env, "doctor");
        Assert.Equal(0, code);
        Assert.Contains($"[ok]    docker    the Docker engine at {DockerTestEngine.Host} answers", stdout);
        Assert.Contains($"was left by execution {execution} (box, task c), which is not running", stdout);
        Assert.Single(await DockerTestEngine.ContainersOf(execution));

        var fixedRun = WorkflowProcess.RunWithEnvironment(dir, env, "doctor", "--fix");
        Assert.Contains($"removed container", fixedRun.Stdout);
        Assert.Empty(await DockerTestEngine.ContainersOf(execution));

        var none = WorkflowProcess.RunWithEnvironment(dir, new Dictionary<string, string> { ["DOCKER_HOST"] = $"unix://{dir}/none.sock" }, "doctor");
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("[error] docker    cannot reach the Docker engine at unix://", none.Stdout);
        Assert.Contains("(docker tasks of box need it)", none.Stdout);
        _ = left;
    }
}

/// <summary>`workflow delete` (alias rm) and `workflow ps`.</summary>
public sealed class DeleteCommandTests
{
    private static (string Dir, Dictionary<string, string> Env) Scheduled()
    {
        var dir = WorkflowProcess.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "workflows"));
        File.WriteAllText(Path.Combine(dir, "workflows", "nightly.workflow.json"), """
            { "name": "nightly", "trigger": { "type": "schedule", "config": { "schedule": "0 2 * * *" } }, "tasks": [ { "id": "a", "type": "shell", "command": "true" } ] }
            """);
        return (dir, new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = Path.Combine(dir, "config"), ["XDG_RUNTIME_DIR"] = Path.Combine(dir, "no-runtime") });
    }

    [Fact]
    public void Delete_asks_for_yes_without_a_terminal_then_removes_the_file_its_systemd_units_and_with_purge_its_runs()
    {
        var (dir, env) = Scheduled();
        Assert.Equal(0, WorkflowProcess.RunWithEnvironment(dir, env, "schedule", "install", "nightly", "--with", "systemd").ExitCode);
        var timer = Path.Combine(dir, "config", "systemd", "user", "pipeline-nightly.timer");
        Assert.True(File.Exists(timer));
        Assert.Equal(0, WorkflowProcess.RunWithEnvironment(dir, env, "run", "nightly", "--quiet").ExitCode);

        var (code, _, stderr) = WorkflowProcess.RunWithEnvironment(dir, env, "delete", "nightly");
        Assert.Equal(2, code);
        Assert.Contains("There is no terminal to ask; add --yes to delete it", stderr);
        Assert.True(File.Exists(Path.Combine(dir, "workflows", "nightly.workflow.json")));

        var (deleted, stdout, _) = WorkflowProcess.RunWithEnvironment(dir, env, "rm", "nightly", "--yes", "--purge-history");
        Assert.Equal(0, deleted);
        Assert.Contains("workflow: deleted workflows/nightly.workflow.json", stdout);
        Assert.Contains("workflow: deleted 1 recorded run(s) of nightly", stdout);
        Assert.False(File.Exists(Path.Combine(dir, "workflows", "nightly.workflow.json")));
        Assert.False(File.Exists(timer));
        Assert.Empty(Directory.GetDirectories(Path.Combine(dir, ".workflow", "runs")));
        Assert.Equal("[]", WorkflowProcess.Run(dir, "history", "--format", "json").Stdout.Trim());
    }

    [Fact]
    public void Delete_refuses_while_a_run_of_the_workflow_is_active_and_ps_shows_it()
    {
        var (dir, env) = Scheduled();
        using (var store = SqliteStateStore.Open(Path.Combine(dir, ".workflow", "state.db")))
            store.ExecutionStarted(new ExecutionRecord { Id = "20261130t000000000z-live01", Workflow = "nightly", Status = "running",
                StartedAt = DateTimeOffset.UtcNow, Pid = Environment.ProcessId, Host = Environment.MachineName }); // this test process: alive
        var (code, _, stderr) = WorkflowProcess.RunWithEnvironment(dir, env, "delete", "nightly", "--yes");
        Assert.Equal(2, code);
        Assert.Contains("nightly has 1 run(s) going (20261130t000000000z-live01)", stderr);
        Assert.True(File.Exists(Path.Combine(dir, "workflows", "nightly.workflow.json")));
        Assert.Contains("20261130t000000000z-live01", WorkflowProcess.Run(dir, "ps").Stdout);
    }
}
