using Pipeline.Engine.Events;
using Pipeline.Engine.Running;

namespace Pipeline.Engine.Tests;

public sealed class ProcessTaskTests : IDisposable
{
    private readonly EngineHarness _h = new();
    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Retry_succeeds_on_the_third_attempt_and_records_every_attempt()
    {
        var counter = Path.Combine(_h.Folder, "count");
        var run = await _h.RunTasks($$"""
            [ { "id": "flaky", "type": "shell",
                "command": "n=$(cat '{{counter}}' 2>/dev/null || echo 0); n=$((n+1)); echo $n > '{{counter}}'; [ $n -ge 3 ] || { echo attempt $n failed >&2; exit 1; }",
                "retry": { "attempts": 3, "delay": 50, "backoff": "exponential" } } ]
            """);
        var flaky = run.Task("flaky");
        Assert.Equal(TaskState.Succeeded, flaky.State);
        Assert.Equal(3, flaky.Attempts.Count);
        Assert.Equal([TaskState.Failed, TaskState.Failed, TaskState.Succeeded], flaky.Attempts.Select(a => a.State));
        Assert.Contains("attempt 1 failed", flaky.Attempts[0].Error);
        Assert.Equal(2, _h.Events.OfType<TaskRetrying>().Count());
        // Exponential backoff: the second delay is longer than the first (jitter stays within the doubling).
        var delays = _h.Events.OfType<TaskRetrying>().Select(r => r.Delay).ToList();
        Assert.All(delays, d => Assert.True(d > TimeSpan.Zero));
    }

    [Fact]
    public async Task A_trigger_s_payload_headers_and_files_reach_a_command_as_values_never_as_script()
    {
        var run = await _h.RunTasks("""
            [ { "id": "show", "type": "shell",
                "command": "echo \"${trigger.type} ${trigger.payload.ref} ${trigger.headers.x-github-event} ${join(trigger.files, '+')} ${trigger.path}\"" } ]
            """, options: new RunOptions
        {
            TriggerType = "webhook",
            Trigger = new TriggerDetails
            {
                Payload = Pipeline.Core.Expressions.Evaluator.FromJson("""{ "ref": "main; rm -rf /tmp/x $(id)" }"""),
                Headers = new Dictionary<string, string> { ["X-GitHub-Event"] = "push" },
                Files = ["a.txt", "b/c.txt"],
                Path = "/hooks/deploy",
            },
        });
        Assert.Equal(TaskState.Succeeded, run.Task("show").State);
        Assert.Equal(["webhook main; rm -rf /tmp/x $(id) push a.txt+b/c.txt /hooks/deploy"], _h.Lines("show"));
    }

    [Fact]
    public async Task Retries_give_up_after_the_last_attempt()
    {
        var run = await _h.RunTasks("""
            [ { "id": "broken", "type": "shell", "command": "exit 7", "retry": { "attempts": 2, "delay": 10 } } ]
            """);
        Assert.Equal(TaskState.Failed, run.Task("broken").State);
        Assert.Equal(2, run.Task("broken").Attempts.Count);
        Assert.Equal(7, run.Task("broken").ExitCode);
    }

    [Fact]
    public async Task Cancellation_during_a_retry_delay_is_honoured()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var run = await _h.RunTasks("""
            [ { "id": "waits", "type": "shell", "command": "exit 1", "retry": { "attempts": 5, "delay": 60000 } } ]
            """, token: cts.Token);
        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Equal(TaskState.Cancelled, run.Task("waits").State);
        Assert.True(run.Duration < TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Timeout_kills_the_whole_process_tree_and_triggers_on_failure()
    {
        var pidFile = Path.Combine(_h.Folder, "bg.pid");
        var run = await _h.RunTasks($$"""
            [
              { "id": "hangs", "type": "shell", "command": "sleep 1000 & echo $! > '{{pidFile}}'; sleep 1000", "timeout": 1,
                "on_failure": ["report"] },
              { "id": "report", "type": "shell", "command": "echo \"$WORKFLOW_TASK_ID was $WORKFLOW_TASK_STATUS\"" }
            ]
            """);
        var hangs = run.Task("hangs");
        Assert.Equal(TaskState.TimedOut, hangs.State);
        Assert.Contains("timed out after 1.0s", hangs.Error);
        var pid = int.Parse(File.ReadAllText(pidFile).Trim());
        Assert.False(await StillAlive(pid), $"background sleep {pid} outlived its task");
        Assert.Equal(TaskState.Succeeded, run.Task("hangs/report").State);
        Assert.Contains("hangs was timed_out", _h.Lines("hangs/report"));
    }

    [Fact]
    public async Task Background_children_do_not_outlive_a_task_that_succeeded()
    {
        var pidFile = Path.Combine(_h.Folder, "bg.pid");
        var run = await _h.RunTasks($$"""
            [ { "id": "leaves", "type": "shell", "command": "sleep 1000 & echo $! > '{{pidFile}}'; echo done" } ]
            """);
        Assert.Equal(TaskState.Succeeded, run.Task("leaves").State);
        Assert.False(await StillAlive(int.Parse(File.ReadAllText(pidFile).Trim())));
    }

    [Theory]
    [InlineData("$(touch PWNED)")]
    [InlineData("x; touch PWNED")]
    [InlineData("`touch PWNED`")]
    [InlineData("' ; touch PWNED; echo '")]
    [InlineData("\" ; touch PWNED; echo \"")]
    public async Task Interpolated_values_are_printed_not_executed(string evil)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(evil);
        var run = await _h.RunTasks("""
            [
              { "id": "unquoted", "type": "shell", "command": "echo ${env.EVIL}" },
              { "id": "double", "type": "shell", "command": "echo \"value: ${env.EVIL}\"" },
              { "id": "single", "type": "shell", "command": "echo 'value: ${env.EVIL}'" }
            ]
            """, extraFields: $"\"environment\": {{ \"EVIL\": {json} }}");
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.False(File.Exists(Path.Combine(_h.Folder, "PWNED")), "the value was executed");
        Assert.Equal([evil], _h.Lines("unquoted"));
        Assert.Equal(["value: " + evil], _h.Lines("double"));
        Assert.Equal(["value: " + evil], _h.Lines("single"));
    }

    [Fact]
    public async Task Shell_variables_stay_the_shells_and_the_escape_writes_a_literal()
    {
        var run = await _h.RunTasks("""
            [ { "id": "mixed", "type": "shell",
                "command": "name=mine; item=theirs; echo \"${name}|$${item}|${HOME:+set}|${HOME}\"",
                "env": { "HOME": "/home/test" } } ]
            """);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        // ${name} and ${HOME...} are not roots: the shell expands them. $${item} reaches the shell as ${item}.
        Assert.Equal(["mine|theirs|set|/home/test"], _h.Lines("mixed"));
    }

    [Fact]
    public async Task Outputs_pass_from_one_task_to_the_next()
    {
        var run = await _h.RunTasks("""
            [
              { "id": "build", "type": "shell", "command": "echo version=1.2.3 >> \"$WORKFLOW_OUTPUT\"; printf 'notes<<EOF\\nline one\\nline two\\nEOF\\n' >> \"$WORKFLOW_OUTPUT\"" },
              { "id": "deploy", "type": "shell", "depends_on": ["build"], "command": "echo deploying ${tasks.build.outputs.version}" },
              { "id": "py", "type": "python", "depends_on": ["build"], "script": "import os\nprint(os.environ['V'])\nopen(os.environ['WORKFLOW_OUTPUT'], 'a').write('lang=python\\n')",
                "env": { "V": "${tasks.build.outputs.notes}" } },
              { "id": "js", "type": "javascript", "depends_on": ["py"], "script": "console.log('from js ' + process.env.L + ' ' + process.argv[2])",
                "env": { "L": "${tasks.py.outputs.lang}" }, "args": ["${tasks.build.outputs.version}"] }
            ]
            """);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal("1.2.3", run.Task("build").Outputs["version"]);
        Assert.Equal("line one\nline two", run.Task("build").Outputs["notes"]);
        Assert.Equal(["deploying 1.2.3"], _h.Lines("deploy"));
        Assert.Equal(["line one", "line two"], _h.Lines("py"));
        Assert.Equal(["from js python 1.2.3"], _h.Lines("js"));
    }

    [Fact]
    public async Task A_missing_interpreter_is_named()
    {
        var run = await _h.RunTasks("""
            [ { "id": "js", "type": "javascript", "script": "console.log(1)", "env": { "PATH": "/nonexistent" } } ]
            """);
        Assert.Equal(TaskState.Failed, run.Task("js").State);
        Assert.Contains("'node' was not found on PATH", run.Task("js").Error);
    }

    [Fact]
    public async Task Stdout_and_stderr_are_captured_separately_and_env_is_layered()
    {
        Environment.SetEnvironmentVariable("PIPELINE_TEST_LAYER", "process");
        var run = await _h.RunTasks("""
            [ { "id": "t", "type": "shell", "command": "echo out $A $B $PIPELINE_TEST_LAYER; echo err >&2", "env": { "B": "task" } } ]
            """, extraFields: "\"environment\": { \"A\": \"workflow\", \"B\": \"workflow\" }");
        var t = run.Task("t");
        Assert.Equal("out workflow task process\n", t.Stdout);
        Assert.Equal("err\n", t.Stderr);
    }

    [Fact]
    public async Task Secrets_are_masked_in_output_errors_and_outputs()
    {
        var run = await _h.RunTasks("""
            [ { "id": "leak", "type": "shell",
                "command": "echo token is ${secrets.API_TOKEN}; echo t=${secrets.API_TOKEN} >> \"$WORKFLOW_OUTPUT\"; echo \"${secrets.API_TOKEN}\" >&2; exit 1" } ]
            """, extraFields: "\"secrets\": [\"API_TOKEN\"]",
            options: new RunOptions { Secrets = new Dictionary<string, string> { ["API_TOKEN"] = "s3cr3t-value" } });
        var leak = run.Task("leak");
        Assert.Equal(["token is ***"], _h.Lines("leak"));
        Assert.Equal("***", leak.Outputs["t"]);
        Assert.DoesNotContain("s3cr3t-value", leak.Error);
        Assert.DoesNotContain(_h.Events.OfType<TaskOutput>(), o => o.Line.Contains("s3cr3t"));
    }

    [Fact]
    public async Task Cancelling_the_run_kills_running_tasks_and_runs_on_failure()
    {
        var pidFile = Path.Combine(_h.Folder, "pid");
        using var cts = new CancellationTokenSource();
        var runTask = _h.RunTasks($$"""
            [
              { "id": "long", "type": "shell", "command": "echo $$ > '{{pidFile}}'; sleep 1000", "on_failure": ["undo"] },
              { "id": "undo", "type": "shell", "command": "echo undoing" },
              { "id": "after", "type": "shell", "command": "true", "depends_on": ["long"] }
            ]
            """, token: cts.Token);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((!File.Exists(pidFile) || File.ReadAllText(pidFile).Length == 0) && DateTime.UtcNow < deadline) await Task.Delay(20);
        cts.Cancel();
        var run = await runTask;
        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Equal(TaskState.Cancelled, run.Task("long").State);
        Assert.Equal(TaskState.Cancelled, run.Task("after").State);
        Assert.Equal(TaskState.Succeeded, run.Task("long/undo").State);
        Assert.False(await StillAlive(int.Parse(File.ReadAllText(pidFile).Trim())));
    }

    /// <summary>
    /// Whether the process is still alive after up to 30 seconds: the engine has killed it before the
    /// run returns, but a kill is asynchronous (a process that closed its pipes may not be a zombie yet).
    /// </summary>
    internal static async Task<bool> StillAlive(int pid)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (IsAlive(pid) && DateTime.UtcNow < deadline) await Task.Delay(20);
        return IsAlive(pid);
    }

    internal static bool IsAlive(int pid)
    {
        // A zombie still has a /proc entry; its state letter is Z.
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat)) return false;
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException) { return false; }
    }
}
