using System.Text.Json;
using Pipeline.Engine.Events;
using Pipeline.Engine.Running;
using Pipeline.Engine.Tests;
using Pipeline.Testing;

namespace Pipeline.Executors.Docker.Tests;

/// <summary>docker tasks on a real Docker engine, with the busybox image tests/services/docker.sh imports.</summary>
public sealed class DockerTaskTests : IDisposable
{
    private readonly EngineHarness _h = new();
    private static readonly string Image = DockerTestEngine.Image;

    static DockerTaskTests() => DockerTestEngine.Use();

    public void Dispose() => _h.Dispose();

    private Task<RunResult> Run(string tasks, string extra = "", RunOptions? options = null) =>
        _h.RunTasks(tasks, extra, (options ?? new RunOptions()) with { Executors = DockerExecutors.Overrides });

    private IEnumerable<string> Err(string instanceId) =>
        _h.Events.OfType<TaskOutput>().Where(o => o.InstanceId == instanceId && o.Stream == OutputStream.Stderr).Select(o => o.Line);

    private static async Task AssertNoContainers(RunResult run) =>
        Assert.Empty(await DockerTestEngine.ContainersOf(run.ExecutionId));

    [Fact]
    public async Task A_container_gets_env_and_a_volume_streams_both_streams_publishes_outputs_and_is_removed()
    {
        Directory.CreateDirectory(Path.Combine(_h.Folder, "data"));
        File.WriteAllText(Path.Combine(_h.Folder, "data", "in.txt"), "from the host\n");
        var run = await Run($$"""
            [ { "id": "box", "type": "docker", "image": "{{Image}}", "volumes": ["./data:/data"],
                "env": { "GREETING": "hello ${env.TARGET}", "TOKEN": "${secrets.TOKEN}" },
                "command": "echo \"$GREETING\"; echo to-stderr >&2; cat /data/in.txt; echo token=$TOKEN; echo written > /data/out.txt; echo answer=42 >> $WORKFLOW_OUTPUT; echo \"id=${workflow.execution_id}\" >> $WORKFLOW_OUTPUT" },
              { "id": "use", "type": "shell", "depends_on": ["box"], "command": "echo got ${tasks.box.outputs.answer}" } ]
            """, "\"environment\": { \"TARGET\": \"world\" }, \"secrets\": [\"TOKEN\"]",
            new RunOptions { Secrets = new Dictionary<string, string> { ["TOKEN"] = "canary-s3cr3t-value" } });
        Assert.True(run.Status == RunStatus.Succeeded, string.Join("; ", run.Tasks.Select(t => $"{t.InstanceId}: {t.Error}")));
        Assert.Equal(["hello world", "from the host", "token=***"], _h.Lines("box"));
        Assert.Contains("to-stderr", Err("box"));
        Assert.Equal("42", run.Task("box").Outputs["answer"]);
        Assert.Equal(run.ExecutionId, run.Task("box").Outputs["id"]);
        Assert.Equal(["got 42"], _h.Lines("use"));
        Assert.Equal("written\n", File.ReadAllText(Path.Combine(_h.Folder, "data", "out.txt")));
        Assert.DoesNotContain(_h.Events.OfType<TaskOutput>(), o => o.Line.Contains("canary-s3cr3t-value"));
        await AssertNoContainers(run);
    }

    [Fact]
    public async Task The_exit_code_is_the_tasks_and_a_failed_container_is_removed_too()
    {
        var run = await Run($$"""[ { "id": "fail", "type": "docker", "image": "{{Image}}", "command": ["sh", "-c", "echo about to fail >&2; exit 7"] } ]""");
        var fail = run.Task("fail");
        Assert.Equal(TaskState.Failed, fail.State);
        Assert.Equal(7, fail.ExitCode);
        Assert.Equal("the container exited with code 7: about to fail", fail.Error);
        await AssertNoContainers(run);
    }

    [Fact]
    public async Task A_timeout_sends_sigterm_then_the_container_is_removed()
    {
        var run = await Run($$"""
            [ { "id": "slow", "type": "docker", "image": "{{Image}}", "timeout": 2,
                "command": "trap 'echo got TERM; exit 143' TERM; echo started; while true; do sleep 0.1; done" } ]
            """, options: new RunOptions { GracePeriod = TimeSpan.FromSeconds(20) });
        Assert.Equal(TaskState.TimedOut, run.Task("slow").State);
        Assert.Equal(["started", "got TERM"], _h.Lines("slow"));
        await AssertNoContainers(run);
    }

    [Fact]
    public async Task A_container_that_ignores_sigterm_is_killed_after_the_grace_period()
    {
        var started = DateTime.UtcNow;
        var run = await Run($$"""[ { "id": "stubborn", "type": "docker", "image": "{{Image}}", "timeout": 1, "command": "trap '' TERM; echo started; sleep 1000" } ]""",
            options: new RunOptions { GracePeriod = TimeSpan.FromSeconds(1) });
        Assert.Equal(TaskState.TimedOut, run.Task("stubborn").State);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(60), "the container was not killed after its grace period");
        await AssertNoContainers(run);
    }

    [Fact]
    public async Task Cancelling_the_run_stops_and_removes_the_container()
    {
        using var cancel = new CancellationTokenSource();
        var running = _h.RunTasks($$"""[ { "id": "long", "type": "docker", "image": "{{Image}}", "command": "echo up; sleep 1000" } ]""", "",
            new RunOptions { Executors = DockerExecutors.Overrides, ExecutionId = "docker-cancel-" + Guid.NewGuid().ToString("N")[..8] }, cancel.Token);
        await DockerTestEngine.WaitFor(() => Task.FromResult(_h.Lines("long").ToList()), l => l.Contains("up"), "the container to start");
        cancel.Cancel();
        var run = await running;
        Assert.Equal(TaskState.Cancelled, run.Task("long").State);
        await AssertNoContainers(run);
    }

    [Fact]
    public async Task An_image_is_built_from_a_dockerfile_with_args_and_dockerignore_then_cleaned_up()
    {
        var context = Path.Combine(_h.Folder, "app");
        Directory.CreateDirectory(context);
        File.WriteAllText(Path.Combine(context, "Dockerfile"), $"FROM {Image}\nARG FLAVOUR=plain\nCOPY . /app/\nRUN echo \"flavour=$FLAVOUR\" > /app/flavour\nCMD [\"sh\", \"-c\", \"cat /app/flavour; ls /app\"]\n");
        File.WriteAllText(Path.Combine(context, "kept.txt"), "kept");
        File.WriteAllText(Path.Combine(context, "secret.env"), "never sent");
        File.WriteAllText(Path.Combine(context, ".dockerignore"), "*.env\n");
        var run = await Run("""
            [ { "id": "built", "type": "docker", "build": { "context": "app", "args": { "FLAVOUR": "${env.FLAVOUR}" } }, "cleanup_images": true } ]
            """, "\"environment\": { \"FLAVOUR\": \"spicy\" }");
        var built = run.Task("built");
        Assert.True(built.State == TaskState.Succeeded, built.Error);
        var lines = _h.Lines("built").ToList();
        Assert.Contains(lines, l => l.StartsWith("Step 1/", StringComparison.Ordinal) || l.Contains("FROM", StringComparison.Ordinal)); // the build log is the task's
        Assert.Contains("flavour=spicy", lines);
        Assert.Contains("kept.txt", lines);
        Assert.DoesNotContain("secret.env", lines);
        Assert.StartsWith("sha256:", built.Outputs["image_id"]);
        Assert.False(await ImagePuller.ExistsAsync(DockerTestEngine.Client, built.Outputs["image_id"], default), "cleanup_images left the image");
        await AssertNoContainers(run);
    }

    [Fact]
    public async Task A_failing_build_fails_the_task_with_the_engines_message_and_leaves_no_container()
    {
        var context = Path.Combine(_h.Folder, "broken");
        Directory.CreateDirectory(context);
        File.WriteAllText(Path.Combine(context, "Dockerfile"), $"FROM {Image}\nRUN exit 3\n");
        var run = await Run("""[ { "id": "broken", "type": "docker", "build": "broken" } ]""");
        var broken = run.Task("broken");
        Assert.Equal(TaskState.Failed, broken.State);
        Assert.Contains("failed", broken.Error);
        Assert.Contains("returned a non-zero code: 3", broken.Error);
        await AssertNoContainers(run);
    }

    [Fact]
    public async Task Pull_policies_say_clearly_when_an_image_is_absent_and_no_registry_answers()
    {
        var never = await Run("""[ { "id": "never", "type": "docker", "image": "pipeline-test/absent:1", "pull": "never", "command": "true" } ]""");
        Assert.Equal("image pipeline-test/absent:1 is not on the engine and pull is never; build it, docker load it, or set pull to missing", never.Task("never").Error);
        var missing = await Run("""[ { "id": "missing", "type": "docker", "image": "pipeline-test/absent:1", "command": "true" } ]""");
        Assert.StartsWith("image pipeline-test/absent:1 is not on the engine and pulling it failed: ", missing.Task("missing").Error);
        var run = await Run($$"""[ { "id": "present", "type": "docker", "image": "{{Image}}", "pull": "missing", "command": ["true"] } ]""");
        Assert.Equal(TaskState.Succeeded, run.Task("present").State);
        await AssertNoContainers(run);
    }

    [Fact]
    public async Task Limits_user_workdir_network_and_entrypoint_reach_the_container_and_keep_keeps_it()
    {
        var run = await Run($$"""
            [ { "id": "kept", "type": "docker", "image": "{{Image}}", "keep": true, "memory": "64m", "cpus": 0.5, "user": "65534", "workdir": "/tmp",
                "network": "none", "entrypoint": ["sh", "-c"], "args": ["id -u; pwd"] } ]
            """);
        try
        {
            Assert.True(run.Status == RunStatus.Succeeded, run.Task("kept").Error + string.Join("\n", Err("kept")));
            Assert.Equal(["65534", "/tmp"], _h.Lines("kept"));
            Assert.Contains(Err("kept"), l => l.Contains("kept container", StringComparison.Ordinal));
            var container = Assert.Single(await DockerTestEngine.ContainersOf(run.ExecutionId));
            var inspect = await DockerTestEngine.Client.Containers.InspectContainerAsync(container.ID);
            Assert.Equal(64L * 1024 * 1024, inspect.HostConfig.Memory);
            Assert.Equal(500_000_000L, inspect.HostConfig.NanoCPUs);
            Assert.Equal("none", inspect.HostConfig.NetworkMode);
            Assert.Equal("kept", inspect.Config.Labels["dev.pipeline.task"]);
        }
        finally
        {
            foreach (var c in await DockerTestEngine.ContainersOf(run.ExecutionId))
                await DockerTestEngine.Client.Containers.RemoveContainerAsync(c.ID, new global::Docker.DotNet.Models.ContainerRemoveParameters { Force = true });
        }
    }

    [Fact]
    public async Task A_container_left_by_a_killed_runner_is_removed_when_the_task_runs_again()
    {
        var executionId = "docker-leftover-" + Guid.NewGuid().ToString("N")[..8];
        var leftover = await DockerTestEngine.Client.Containers.CreateContainerAsync(new global::Docker.DotNet.Models.CreateContainerParameters
        {
            Image = Image, Cmd = ["sleep", "1000"],
            Labels = ContainerLabels.For(executionId, "again", "test"),
        });
        await DockerTestEngine.Client.Containers.StartContainerAsync(leftover.ID, new global::Docker.DotNet.Models.ContainerStartParameters());
        var run = await Run($$"""[ { "id": "again", "type": "docker", "image": "{{Image}}", "command": "echo ran again" } ]""",
            options: new RunOptions { ExecutionId = executionId });
        Assert.Equal(["ran again"], _h.Lines("again"));
        Assert.Contains(Err("again"), l => l.Contains("left running by an earlier runner", StringComparison.Ordinal));
        await AssertNoContainers(run);
    }
}
