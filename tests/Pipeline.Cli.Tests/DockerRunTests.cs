using System.Diagnostics;
using System.Text;
using Pipeline.Testing;

namespace Pipeline.Cli.Tests;

/// <summary>`workflow run` with docker tasks on the real engine: no daemon, SIGTERM of the runner, SIGKILL then resume.</summary>
public sealed class DockerRunTests
{
    private static Dictionary<string, string> Env => new() { ["DOCKER_HOST"] = DockerTestEngine.Host };

    private static (string Dir, string Workflow, string Name) Write(string command)
    {
        var dir = WorkflowProcess.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "work"));
        var name = "docker-cli-" + Guid.NewGuid().ToString("N")[..8];
        var path = Path.Combine(dir, "box.workflow.json");
        File.WriteAllText(path, $$"""
            { "name": "{{name}}", "tasks": [
              { "id": "box", "type": "docker", "image": "{{DockerTestEngine.Image}}", "volumes": ["./work:/work"], "command": {{System.Text.Json.JsonSerializer.Serialize(command)}} } ] }
            """);
        return (dir, path, name);
    }

    [Fact]
    public void Without_a_daemon_the_run_fails_naming_the_socket_tried_and_validate_warns()
    {
        var (dir, workflow, _) = Write("true");
        var socket = $"unix:///tmp/pipeline-no-docker-{Guid.NewGuid():N}.sock";
        var env = new Dictionary<string, string> { ["DOCKER_HOST"] = socket };
        var (code, stdout, stderr) = WorkflowProcess.RunWithEnvironment(dir, env, "run", workflow);
        Assert.Equal(1, code);
        Assert.Contains($"cannot reach the Docker engine at {socket} (DOCKER_HOST): no socket there; start it (sudo systemctl start docker, or dockerd), or set DOCKER_HOST to a running engine", stdout + stderr);
        Assert.DoesNotContain("   at ", stdout + stderr); // a message, not a stack trace

        var validate = WorkflowProcess.RunWithEnvironment(dir, env, "validate", workflow);
        Assert.Contains("WF4003", validate.Stdout + validate.Stderr);
        Assert.Contains(socket, validate.Stdout + validate.Stderr);
    }

    [Fact]
    public async Task Sigterm_to_the_runner_stops_and_removes_the_container()
    {
        var (dir, workflow, name) = Write("trap 'echo stopping; exit 143' TERM; echo up; while true; do sleep 0.1; done");
        var process = WorkflowProcess.StartWithEnvironment(dir, Env, new StringBuilder(), new StringBuilder(), "run", workflow, "--quiet");
        try
        {
            await DockerTestEngine.WaitFor(() => DockerTestEngine.ContainersOfWorkflow(name), c => c.Count == 1 && c[0].State == "running", "the container to run");
            Process.Start("kill", ["-TERM", process.Id.ToString()])!.WaitForExit();
            Assert.True(process.WaitForExit(60_000), "the runner did not exit after SIGTERM");
            Assert.NotEqual(0, process.ExitCode);
            Assert.Empty(await DockerTestEngine.ContainersOfWorkflow(name));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task A_container_left_by_a_sigkilled_runner_is_removed_on_resume_and_the_task_runs_again()
    {
        var (dir, workflow, name) = Write("if [ -f /work/first ]; then echo second run; else touch /work/first; echo up; sleep 1000; fi");
        var process = WorkflowProcess.StartWithEnvironment(dir, Env, new StringBuilder(), new StringBuilder(), "run", workflow, "--quiet");
        await DockerTestEngine.WaitFor(() => DockerTestEngine.ContainersOfWorkflow(name), c => c.Count == 1 && c[0].State == "running", "the container to run");
        process.Kill(); // SIGKILL: the runner cannot remove its container
        process.WaitForExit();
        Assert.Single(await DockerTestEngine.ContainersOfWorkflow(name)); // still there, still running

        var (code, stdout, stderr) = WorkflowProcess.RunWithEnvironment(dir, Env, "run", workflow, "--resume");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("left by the interrupted run", stderr);
        Assert.Contains("second run", File.ReadAllText(Directory.GetFiles(Path.Combine(dir, ".workflow", "runs"), "box.stdout.log", SearchOption.AllDirectories).Single()));
        Assert.Empty(await DockerTestEngine.ContainersOfWorkflow(name));
    }
}
