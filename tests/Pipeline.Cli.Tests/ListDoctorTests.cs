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
