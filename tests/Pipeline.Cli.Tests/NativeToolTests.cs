using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Pipeline.Testing;

namespace Pipeline.Cli.Tests;

/// <summary>
/// The natively compiled tool (artifacts/workflow/workflow, from the build project's publish-tool
/// target; tests/run publishes it and sets PIPELINE_TEST_NATIVE_TOOL) doing what a compiled binary
/// gets wrong when reflection was trimmed away: JSON out and in, SQLite through its native library,
/// the Docker client, Kestrel's generated handlers and Quartz's store, YAML, the cache. The rest of
/// the suite runs the same code through the dotnet host.
/// </summary>
public sealed class NativeToolTests
{
    private static string Tool => Environment.GetEnvironmentVariable("PIPELINE_TEST_NATIVE_TOOL") is { Length: > 0 } path && File.Exists(path)
        ? path
        : throw new InvalidOperationException("PIPELINE_TEST_NATIVE_TOOL does not name the compiled tool: run the tests through tests/run, or `dotnet run --project build -- publish-tool` and point it at artifacts/workflow/workflow");

    private static (int Code, string Out, string Err) Run(string dir, Dictionary<string, string>? env, params string[] args) =>
        WorkflowProcess.RunTool(Tool, dir, env, args);

    private static (int Code, string Out, string Err) Run(string dir, params string[] args) => Run(dir, null, args);

    [Fact]
    public void Runs_validates_caches_and_reports_in_json_like_the_managed_tool()
    {
        var dir = WorkflowProcess.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "src"));
        File.WriteAllText(Path.Combine(dir, "src", "a.txt"), "alpha\n");
        File.WriteAllText(Path.Combine(dir, "app.workflow.json"), """
            { "name": "app", "environment": { "STAGE": "ci" }, "tasks": [
              { "id": "build", "type": "shell", "inputs": ["src/**"], "generates": ["out/**"],
                "command": "mkdir -p out; cat src/*.txt > out/all.txt; echo \"version=1.$(wc -c < out/all.txt)\" >> \"$WORKFLOW_OUTPUT\"" },
              { "id": "py", "type": "python", "depends_on": ["build"], "script": "import os; print('py', os.environ['V'])", "env": { "V": "${tasks.build.outputs.version}" } },
              { "id": "js", "type": "javascript", "depends_on": ["build"], "script": "console.log('js ' + process.env.STAGE)" },
              { "id": "db", "type": "sql", "connection": "Data Source=app.db", "query": "SELECT 41 + 1 AS answer, 'yes' AS ok" } ] }
            """);
        var validate = Run(dir, "validate", "app.workflow.json", "--format", "json");
        Assert.True(validate.Code == 0, validate.Out + validate.Err);
        Assert.True(JsonDocument.Parse(validate.Out).RootElement.GetProperty("valid").GetBoolean());

        var first = Run(dir, "run", "app.workflow.json", "--verbose");
        Assert.True(first.Code == 0, first.Out + first.Err);
        Assert.Contains("py 1.6", first.Out);
        Assert.Contains("js ci", first.Out);
        Directory.Delete(Path.Combine(dir, "out"), recursive: true);

        var second = Run(dir, "run", "app.workflow.json", "--format", "json");
        Assert.True(second.Code == 0, second.Out + second.Err);
        var report = JsonDocument.Parse(second.Out).RootElement;
        var tasks = report.GetProperty("tasks").EnumerateArray().ToDictionary(t => t.GetProperty("instance_id").GetString()!);
        Assert.Equal("cached", tasks["build"].GetProperty("status").GetString());
        Assert.Equal("alpha\n", File.ReadAllText(Path.Combine(dir, "out", "all.txt")));
        Assert.Equal("[{\"answer\":42,\"ok\":\"yes\"}]", tasks["db"].GetProperty("outputs").GetProperty("rows").GetString());

        var history = Run(dir, "history", "--format", "json");
        var latest = JsonDocument.Parse(history.Out).RootElement[0];
        Assert.Equal("succeeded", latest.GetProperty("status").GetString());
        var status = JsonDocument.Parse(Run(dir, "status", latest.GetProperty("id").GetString()!, "--format", "json").Out).RootElement;
        Assert.Contains(status.GetProperty("tasks").EnumerateArray(), t => t.GetProperty("task_id").GetString() == "build" && t.GetProperty("status").GetString() == "cached");
        Assert.Contains("app", Run(dir, "list", "--format", "json").Out);
        Assert.Contains("1 entry", Run(dir, "cache").Out);
    }

    [Fact]
    public void Runs_taskfiles_and_docker_tasks()
    {
        var dir = WorkflowProcess.TempDir();
        File.WriteAllText(Path.Combine(dir, "Taskfile.yml"), """
            version: '3'
            vars:
              NAME: native
            tasks:
              default:
                deps: [greet]
                cmds: ['echo done {{.NAME}}']
              greet:
                cmds: ['echo hello {{.NAME}}']
            """);
        var taskfile = Run(dir, "run", "-t", "Taskfile.yml");
        Assert.True(taskfile.Code == 0, taskfile.Out + taskfile.Err);
        Assert.Contains("hello native", taskfile.Out);
        Assert.Contains("done native", taskfile.Out);

        File.WriteAllText(Path.Combine(dir, "box.workflow.json"), $$"""
            { "name": "box", "tasks": [ { "id": "box", "type": "docker", "image": "{{DockerTestEngine.Image}}", "command": "echo from the container; echo n=7 >> $WORKFLOW_OUTPUT" } ] }
            """);
        var docker = Run(dir, new Dictionary<string, string> { ["DOCKER_HOST"] = DockerTestEngine.Host }, "run", "box.workflow.json", "--verbose");
        Assert.True(docker.Code == 0, docker.Out + docker.Err);
        Assert.Contains("from the container", docker.Out);
    }

    [Fact]
    public async Task Serves_webhooks_with_its_scheduler_and_answers_in_json()
    {
        var dir = WorkflowProcess.TempDir();
        File.WriteAllText(Path.Combine(dir, "hook.workflow.json"), """
            { "name": "hook", "triggers": [
                { "type": "webhook", "config": { "path": "/hooks/go" } },
                { "type": "schedule", "config": { "schedule": "0 3 * * *" } } ],
              "tasks": [{ "id": "ship", "type": "shell", "command": "echo \"ref ${trigger.payload.ref}\" > shipped.txt" }] }
            """);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var output = new StringBuilder();
        using var serve = WorkflowProcess.StartTool(Tool, dir, null, output, output, "serve", "--urls", $"http://127.0.0.1:{port}");
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            var deadline = DateTime.UtcNow.AddSeconds(60);
            var ready = false;
            while (!ready && DateTime.UtcNow < deadline && !serve.HasExited)
            {
                try { ready = (await client.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK; }
                catch (HttpRequestException) { }
                if (!ready) await Task.Delay(100);
            }
            Assert.True(ready, "serve never became ready (the scheduler's store loaded):\n" + output);

            var answer = await client.PostAsync("/hooks/go", new StringContent("""{ "ref": "v1" }""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
            var id = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("execution_id").GetString()!;
            var shipped = Path.Combine(dir, "shipped.txt");
            // The shell creates the file before it writes the line: wait for the line, not the file.
            while (!(File.Exists(shipped) && File.ReadAllText(shipped).EndsWith('\n')) && DateTime.UtcNow < deadline) await Task.Delay(50);
            Assert.Equal("ref v1\n", File.ReadAllText(shipped));
            JsonElement execution = default;
            while (DateTime.UtcNow < deadline)
            {
                execution = JsonDocument.Parse(await client.GetStringAsync($"/executions/{id}")).RootElement;
                if (execution.GetProperty("status").GetString() != "running") break;
                await Task.Delay(100);
            }
            Assert.Equal("succeeded", execution.GetProperty("status").GetString());
            var missing = await client.GetAsync("/executions/nope");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Contains("no execution nope", await missing.Content.ReadAsStringAsync());
        }
        finally
        {
            if (!serve.HasExited) { serve.Kill(entireProcessTree: true); serve.WaitForExit(); }
        }
    }
}
