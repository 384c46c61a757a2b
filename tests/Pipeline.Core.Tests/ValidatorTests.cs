using Pipeline.Core.Graph;
using Pipeline.Core.Model;
using static Pipeline.Core.Tests.TestHelpers;

namespace Pipeline.Core.Tests;

public class ValidatorTests
{
    [Fact]
    public void Seed_example_reports_the_three_callbacks_as_unknown_at_their_positions()
    {
        var path = Path.Combine(RepoRoot, "docs", "seed-example.workflow.json");
        var read = Loading.WorkflowLoader.Load(path);
        var diagnostics = Validation.WorkflowValidator.Validate(read);
        var unknown = diagnostics.Where(d => d.Code == "WF2002").ToList();
        Assert.Equal(3, diagnostics.Count(d => d.Severity == Diagnostics.Severity.Error));
        Assert.Collection(unknown,
            d => { AssertAt(d, 58, 22); Assert.Contains("'notify-success'", d.Message); },
            d => { AssertAt(d, 59, 22); Assert.Contains("'rollback'", d.Message); },
            d => { AssertAt(d, 59, 34); Assert.Contains("'notify-failure'", d.Message); });
    }

    [Fact]
    public void Corrected_sample_is_valid_with_levels_and_critical_path()
    {
        var read = Loading.WorkflowLoader.Load(Path.Combine(RepoRoot, "samples", "deploy", "deploy.workflow.json"));
        Assert.DoesNotContain(Validation.WorkflowValidator.Validate(read), d => d.Severity != Diagnostics.Severity.Info);
        var graph = WorkflowGraph.Build(read.Workflow!);
        Assert.Equal(4, graph.Levels.Count);
        Assert.Equal(new[] { "test", "build" }, graph.Levels[2]);
        Assert.Equal(new[] { "checkout", "install", "test", "deploy" }, graph.CriticalPath);
        Assert.Equal(60 + 300 + 600 + 900, graph.EstimatedSeconds);
        Assert.DoesNotContain("rollback", graph.Nodes); // callbacks run only when invoked
    }

    [Fact]
    public void A_task_of_an_unknown_type_still_has_its_other_errors_reported()
    {
        var diagnostics = Validate(Workflow("""
                { "id": "x", "type": "shell", "command": "true" },
                { "id": "y", "type": "teleport", "depends_on": ["nope", "x"], "on_failure": ["ghost"] },
                { "id": "z", "type": "shell", "depends_on": ["missing"] },
                { "id": "w", "type": "shell", "command": "true", "depends_on": ["y"] }
            """));
        Single(diagnostics, "WF1016");
        Assert.Equal(2, diagnostics.Count(d => d.Code == "WF2001")); // y -> nope, and z (no command) -> missing
        Assert.Contains(diagnostics, d => d.Code == "WF2001" && d.Message.Contains("'nope'"));
        Assert.Contains(diagnostics, d => d.Code == "WF2001" && d.Message.Contains("'missing'"));
        Assert.Contains(diagnostics, d => d.Code == "WF2002" && d.Message.Contains("'ghost'"));
        Assert.DoesNotContain(diagnostics, d => d.Message.Contains("unknown task 'y'") || d.Message.Contains("unknown task 'x'"));
    }

    [Fact]
    public void A_cycle_is_reported_once_with_its_path_at_its_first_edge()
    {
        var read = ReadJson(Workflow("""
                { "id": "one", "type": "shell", "command": "a", "depends_on": ["three"] },
                { "id": "two", "type": "shell", "command": "b", "depends_on": ["one"] },
                { "id": "three", "type": "shell", "command": "c", "depends_on": ["two"] }
            """));
        var diagnostics = Validation.WorkflowValidator.Validate(read);
        var cycle = Single(diagnostics, "WF2004");
        Assert.Contains("one -> three -> two -> one", cycle.Message);
        // It underlines the depends_on entry of the first task (in file order) that leads around the cycle.
        Assert.Equal(4, cycle.Span.Line);
        Assert.Equal("\"three\"", read.Document!.Text.Substring(cycle.Span.Start, cycle.Span.Length));
    }

    [Fact]
    public void Each_strongly_connected_component_is_one_diagnostic_and_a_long_path_is_shortened()
    {
        static string Ring(string prefix, int n) => string.Join(",\n", Enumerable.Range(0, n).Select(i =>
            $$"""{ "id": "{{prefix}}{{i}}", "type": "shell", "command": "true", "depends_on": ["{{prefix}}{{(i + 1) % n}}"] }"""));
        var diagnostics = Validate(Workflow(Ring("a", 3) + ",\n" + Ring("b", 500)));
        var cycles = diagnostics.Where(d => d.Code == "WF2004").ToList();
        Assert.Equal(2, cycles.Count);
        Assert.Contains("a0 -> a1 -> a2 -> a0", cycles[0].Message);
        Assert.Contains("b0 -> b1 -> b2 -> b3 -> b4 -> b5 -> b6 -> … 492 more -> b499 -> b0 (500 tasks;", cycles[1].Message);
        Assert.True(cycles[1].Message.Length < 300, cycles[1].Message);
    }

    [Theory]
    [InlineData("""{ "id": "a", "type": "shell", "command": "x", "depend_on": ["b"] }""", "WF1011", 4, 47, "did you mean \"depends_on\"")]
    [InlineData("""{ "id": "a", "type": "bash", "command": "x" }""", "WF1016", 4, 22, "\"shell\"")]
    [InlineData("""{ "id": "a", "type": "shel", "command": "x" }""", "WF1016", 4, 22, "did you mean \"shell\"")]
    [InlineData("""{ "id": "a", "type": "shell" }""", "WF1017", 4, 1, "command")]
    [InlineData("""{ "type": "shell", "command": "x" }""", "WF1010", 4, 1, "id")]
    [InlineData("""{ "id": "build app", "type": "shell", "command": "x" }""", "WF1014", 4, 9, "build-app")]
    [InlineData("""{ "id": "a", "type": "shell", "command": "x", "timeout": 0 }""", "WF1018", 4, 58, "seconds")]
    [InlineData("""{ "id": "a", "type": "shell", "command": "x", "timeout": 90000 }""", "WF1019", 4, 58, "milliseconds")]
    [InlineData("""{ "id": "a", "type": "shell", "command": "x", "retry": { "attempts": 0 } }""", "WF1020", 4, 70, "at least 1")]
    [InlineData("""{ "id": "a", "type": "http", "url": "htp:/x" }""", "WF1021", 4, 37, "http(s)")]
    [InlineData("""{ "id": "a", "type": "http", "url": "example.com/x" }""", "WF1021", 4, 37, "https://")]
    [InlineData("""{ "id": "a", "type": "sql", "connection": "Host=db;Databse=x", "query": "select 1" }""", "WF1022", 4, 43, "Databse")]
    [InlineData("""{ "id": "a", "type": "shell", "command": "x", "depends_on": ["biuld"] }, { "id": "build", "type": "shell", "command": "y" }""", "WF2001", 4, 62, "did you mean 'build'")]
    [InlineData("""{ "id": "a", "type": "shell", "command": "x", "depends_on": ["a"] }""", "WF2005", 4, 62, "itself")]
    [InlineData("""{ "id": "a", "type": "shell", "command": "x", "depends_on": {} }""", "WF1012", 4, 61, "a string or a list")]
    [InlineData("""{ "id": "a", "type": "parallel", "tasks": [{ "id": "b", "type": "shell", "command": "x" }], "wait_for": "some" }""", "WF1013", 4, 105, "all, any, first")]
    [InlineData("""{ "id": "a", "type": "conditional", "condition": "env.X ==", "then": ["b"] }, { "id": "b", "type": "shell", "command": "y" }""", "WF3001", 4, 59, "end of the expression")]
    [InlineData("""{ "id": "a", "type": "shell", "command": "x", "condition": "contain(env.X, 'a')" }""", "WF3007", 4, 61, "did you mean contains()")]
    [InlineData("""{ "id": "a", "type": "shell", "command": "x", "condition": "  " }""", "WF3001", 4, 60, "never true")]
    [InlineData("""{ "id": "a", "type": "shell", "command": "x", "condition": "case(true, 'a')" }""", "WF3007", 4, 61, "case() takes")]
    [InlineData("""{ "id": "a", "type": "shell", "command": "x", "condition": "envs.X == 'a'" }""", "WF3002", 4, 61, "did you mean 'env'")]
    [InlineData("""{ "id": "a", "type": "shell", "command": "echo ${tasks.biuld.outputs.v}" }""", "WF3003", 4, 56, "unknown task 'biuld'")]
    [InlineData("""{ "id": "a", "type": "shell", "command": "echo ${secrets.TOKEN}" }""", "WF3005", 4, 58, "TOKEN")]
    [InlineData("""{ "id": "a", "type": "shell", "command": "echo ${item}" }""", "WF3006", 4, 50, "loop")]
    [InlineData("""{ "id": "a", "type": "shell", "command": "echo ${workflow.nmae}" }""", "WF3009", 4, 59, "did you mean 'name'")]
    [InlineData("""{ "id": "a", "type": "shell", "command": "echo ${env.X" }""", "WF3010", 4, 48, "not closed")]
    public void Each_diagnostic_is_reported_at_its_position(string tasks, string code, int line, int column, string fragment)
    {
        var diagnostics = Validate(Workflow(tasks));
        var d = Single(diagnostics, code);
        AssertAt(d, line, column);
        Assert.Contains(fragment, d.Message + " " + d.Hint);
    }

    [Theory]
    [InlineData("""{ "id": "a", "type": "docker", "command": "x" }""", "WF1017", "{", "needs \"image\"")]
    [InlineData("""{ "id": "a", "type": "docker", "image": "x", "build": "ctx" }""", "WF1027", "\"build\"", "both \"image\" and \"build\"")]
    [InlineData("""{ "id": "a", "type": "docker", "image": "x", "volumes": ["data"] }""", "WF1013", "\"data\"", "host:container")]
    [InlineData("""{ "id": "a", "type": "docker", "image": "x", "volumes": ["./data:data"] }""", "WF1013", "\"./data:data\"", "must be absolute")]
    [InlineData("""{ "id": "a", "type": "docker", "image": "x", "volumes": ["./d:/d:rx"] }""", "WF1013", "\"./d:/d:rx\"", "ro or rw")]
    [InlineData("""{ "id": "a", "type": "docker", "image": "x", "memory": "1k" }""", "WF1013", "\"1k\"", "at least 6m")]
    [InlineData("""{ "id": "a", "type": "docker", "image": "x", "memory": "lots" }""", "WF1013", "\"lots\"", "512m")]
    [InlineData("""{ "id": "a", "type": "docker", "image": "x", "cpus": 0 }""", "WF1013", "0 }", "positive number")]
    [InlineData("""{ "id": "a", "type": "docker", "image": "x", "pull": "sometimes" }""", "WF1013", "\"sometimes\"", "missing, always, never")]
    [InlineData("""{ "id": "a", "type": "docker", "build": { "dockerfile": "D" } }""", "WF1010", "{ \"dockerfile", "context")]
    [InlineData("""{ "id": "a", "type": "docker", "build": { "context": ".", "tags": "x" } }""", "WF1011", "\"tags\"", "did you mean \"tag\"")]
    [InlineData("""{ "id": "a", "type": "docker", "image": "x", "cleanup_images": true }""", "WF1013", "\"cleanup_images\"", "builds none")]
    public void Docker_fields_are_checked_at_their_position(string tasks, string code, string at, string fragment)
    {
        var d = Single(Validate(Workflow(tasks)), code);
        AssertAt(d, 4, tasks.IndexOf(at, StringComparison.Ordinal) + 1);
        Assert.Contains(fragment, d.Message + " " + d.Hint);
    }

    [Theory]
    [InlineData("""{ "id": "a", "type": "http", "url": "http://127.0.0.1/", "inputs": ["src/**"] }""", "WF1031", "\"inputs\"", "only shell, javascript, python and docker")]
    [InlineData("""{ "id": "a", "type": "parallel", "tasks": [], "cache": true }""", "WF1031", "\"cache\"", "parallel task")]
    [InlineData("""{ "id": "a", "type": "shell", "command": "x", "cache": true }""", "WF1032", "\"cache\"", "never taken from the cache")]
    [InlineData("""{ "id": "a", "type": "shell", "command": "x", "generates": ["dist/**"] }""", "WF1032", "\"generates\"", "list the files it reads")]
    [InlineData("""{ "id": "a", "type": "shell", "command": "x", "inputs": ["/etc/passwd"] }""", "WF1013", "\"/etc/passwd\"", "relative to the task's working directory")]
    [InlineData("""{ "id": "a", "type": "shell", "command": "x", "inputs": ["src"], "generates": ["!"] }""", "WF1013", "\"!\"", "an empty glob")]
    [InlineData("""{ "id": "a", "type": "shell", "command": "x", "inputs": ["src"], "cache": { "env": ["A=B"] } }""", "WF1013", "\"A=B\"", "not a variable name")]
    [InlineData("""{ "id": "a", "type": "shell", "command": "x", "inputs": ["src"], "cache": { "envs": [] } }""", "WF1011", "\"envs\"", "env")]
    [InlineData("""{ "id": "a", "type": "shell", "command": "x", "inputs": ["src"], "cache": "yes" }""", "WF1012", "\"yes\"", "true, false")]
    public void Cache_fields_are_checked_at_their_position(string tasks, string code, string at, string fragment)
    {
        var d = Single(Validate(Workflow(tasks)), code);
        AssertAt(d, 4, tasks.IndexOf(at, StringComparison.Ordinal) + 1);
        Assert.Contains(fragment, d.Message + " " + d.Hint);
    }

    [Fact]
    public void A_task_with_inputs_is_cached_and_its_canonical_json_ignores_layout()
    {
        static Pipeline.Core.Model.TaskDefinition Read(string tasks) =>
            ReadJson(Workflow(tasks)).Workflow!.Tasks[0];
        var a = Read("""{ "id": "a", "type": "shell", "command": "x", "inputs": ["src/**", "!src/**/*.tmp"], "generates": "dist/**", "cache": { "env": ["NODE_ENV"] } }""");
        Assert.True(Pipeline.Core.Model.TaskCaching.IsCached(a));
        Assert.Equal(["src/**", "!src/**/*.tmp"], a.Inputs.Select(i => i.Value));
        Assert.Equal(["dist/**"], a.Generates.Select(i => i.Value));
        Assert.Equal(["NODE_ENV"], a.Cache!.Env.Select(e => e.Value));
        var b = Read("""{ "id": "a",   "type": "shell",        "command": "x", "inputs": [ "src/**",  "!src/**/*.tmp" ], "generates": "dist/**", "cache": {"env":["NODE_ENV"]} }""");
        Assert.Equal(a.CanonicalJson, b.CanonicalJson);
        Assert.False(Pipeline.Core.Model.TaskCaching.IsCached(Read("""{ "id": "a", "type": "shell", "command": "x", "inputs": ["src"], "cache": false }""")));
        Assert.False(Pipeline.Core.Model.TaskCaching.IsCached(Read("""{ "id": "a", "type": "shell", "command": "x" }""")));
    }

    [Theory]
    [InlineData("${execution.statuss}", "WF3009", "statuss", "did you mean 'status'")]
    [InlineData("${executon.status}", "WF3002", "executon", "did you mean 'execution'")]
    [InlineData("${nme}", "WF3002", "nme", "unknown name 'nme'")]
    [InlineData("${secrets.SLAK}", "WF3005", "SLAK", "SLAK")]
    public void Notification_templates_are_checked_at_their_position(string template, string code, string at, string fragment)
    {
        var json = Workflow("""{ "id": "a", "type": "shell", "command": "x" }""",
            $$""" "notifications": { "on_failure": true, "slack": { "webhook_url": "https://hooks.example.com/x", "templates": { "on_failure": "{{template}}" } } },""");
        var d = Single(Validate(json), code);
        var lines = json.Split('\n');
        var line = Array.FindIndex(lines, l => l.Contains(template, StringComparison.Ordinal));
        AssertAt(d, line + 1, lines[line].IndexOf(template, StringComparison.Ordinal) + template.IndexOf(at, StringComparison.Ordinal) + 1);
        Assert.Contains(fragment, d.Message + " " + d.Hint);
    }

    [Fact]
    public void Notification_settings_are_checked()
    {
        var json = Workflow("""{ "id": "a", "type": "shell", "command": "x" }""",
            """ "notifications": { "channels": ["slack"], "on_failure": true, "slack": { "webhook": "https://x" }, "email": { "smtp_host": "h" }, "alerts": { "failure_rate": { "threshold": 2 } } },""");
        var diagnostics = Validate(json);
        Assert.Contains(diagnostics, d => d.Code == "WF1011" && d.Message.Contains("unknown setting \"webhook\" of the slack channel") && d.Hint!.Contains("webhook_url"));
        Assert.Contains(diagnostics, d => d.Code == "WF1013" && d.Message.Contains("settings for the email channel, which \"channels\" does not list"));
        Assert.Contains(diagnostics, d => d.Code == "WF1013" && d.Message.Contains("\"threshold\" of the failure_rate alert must be a number from 0 to 1"));
        var ok = ReadJson(Workflow("""{ "id": "a", "type": "shell", "command": "x" }""",
            """ "notifications": { "on_failure": true, "webhook": { "url": "https://x", "headers": { "X-A": "1" } }, "alerts": { "task_failures": { "in_a_row": 5 }, "duration": false } },""")).Workflow!.Notifications!;
        var channel = Assert.Single(ok.Channels);
        Assert.Equal(("webhook", "1"), (channel.Type.Value, channel.Get("headers.X-A")!.Value));
        Assert.Equal((5, false, true), (ok.Alerts!.TaskFailuresInARow, ok.Alerts.Duration, ok.Alerts.FailureRate));
    }

    [Fact]
    public void A_yaml_workflow_is_checked_with_positions_in_the_yaml_file()
    {
        var yaml = "name: ship\ntasks:\n  - id: build\n    type: shel\n    command: make\n  - id: test\n    type: shell\n    command: make test\n    depends_on: [biuld]\n";
        var read = Pipeline.Core.Loading.WorkflowLoader.Read("ship.workflow.yml", System.Text.Encoding.UTF8.GetBytes(yaml), Pipeline.Core.Loading.WorkflowFiles.KindOf("ship.workflow.yml"));
        var diagnostics = Pipeline.Core.Validation.WorkflowValidator.Validate(read);
        AssertAt(Single(diagnostics, "WF1016"), 4, 11);
        AssertAt(Single(diagnostics, "WF2001"), 9, 18);
        Assert.Equal(Pipeline.Core.Loading.WorkflowFileKind.Taskfile, Pipeline.Core.Loading.WorkflowFiles.KindOf("Taskfile.yml"));
        Assert.Equal(Pipeline.Core.Loading.WorkflowFileKind.WorkflowYaml, Pipeline.Core.Loading.WorkflowFiles.KindOf("workflow.yml"));
    }

    [Theory]
    [InlineData("\"name\": \"Deploy App\",", "WF1029", "write \"deploy-app\"")]
    [InlineData("\"name\": \"deployApp\",", "WF1029", "write \"deploy-app\"")]
    [InlineData("\"name\": \"deploy\", \"version\": \"v2\",", "WF1030", "e.g. \"2.0.0\"")]
    [InlineData("\"name\": \"deploy\", \"version\": \"1.2\",", "WF1030", "e.g. \"1.2.0\"")]
    public void Names_are_kebab_case_and_versions_semantic_as_warnings_with_a_fix(string fields, string code, string hint)
    {
        var json = "{ " + fields + " \"tasks\": [ { \"id\": \"a\", \"type\": \"shell\", \"command\": \"x\" } ] }";
        var d = Single(Validate(json), code);
        Assert.Equal(Pipeline.Core.Diagnostics.Severity.Warning, d.Severity);
        Assert.Contains(hint, d.Hint);
        Assert.DoesNotContain(Validate("{ \"name\": \"deploy-app\", \"version\": \"1.2.3-rc.1+build.5\", \"tasks\": [ { \"id\": \"a\", \"type\": \"shell\", \"command\": \"x\" } ] }"),
            x => x.Code is "WF1029" or "WF1030");
    }

    [Theory]
    [InlineData("512m", 512L * 1024 * 1024)]
    [InlineData("2g", 2L * 1024 * 1024 * 1024)]
    [InlineData("2GB", 2L * 1024 * 1024 * 1024)]
    [InlineData("1.5g", 3L * 512 * 1024 * 1024)]
    [InlineData("10485760", 10485760L)]
    public void Docker_memory_sizes_read_as_docker_reads_them(string text, long bytes)
    {
        var read = ReadJson(Workflow($$"""{ "id": "a", "type": "docker", "image": "x", "memory": "{{text}}", "cpus": "1.5" }"""));
        var task = Assert.IsType<Pipeline.Core.Model.DockerTask>(read.Workflow!.Tasks[0]);
        Assert.Equal(bytes, task.Memory!.Value.Value);
        Assert.Equal(1.5, task.Cpus!.Value.Value);
    }

    [Fact]
    public void Cron_expressions_are_checked_and_explained()
    {
        var bad = Validate(Workflow("""{ "id": "a", "type": "shell", "command": "x" }""", """ "trigger": { "type": "schedule", "config": { "schedule": "61 * * * *" } },"""));
        AssertAt(Single(bad, "WF1023"), 2, 76);
        Assert.Equal("at 02:00, on weekdays", Scheduling.CronSchedule.Describe("0 2 * * 1-5"));
        Assert.Equal("every 15 minutes, every day", Scheduling.CronSchedule.Describe("*/15 * * * *"));
        Assert.NotNull(Scheduling.CronSchedule.TryParse("*/10 * * * * *", out _)); // 6 fields: seconds first
        Assert.Null(Scheduling.CronSchedule.TryParse("* * *", out var error));
        Assert.Contains("5 fields", error);
    }

    [Fact]
    public void Inline_tasks_are_hoisted_and_referenced_from_their_parent()
    {
        var read = ReadJson(Workflow("""
            { "id": "fan", "type": "parallel", "wait_for": "any", "tasks": [
                { "id": "left", "type": "shell", "command": "a" },
                "right" ] },
            { "id": "right", "type": "shell", "command": "b" },
            { "id": "each", "type": "loop", "items": ["x", "y"], "parallel": 2, "task": { "type": "shell", "command": "echo ${item} ${index}" } }
            """));
        var w = read.Workflow!;
        Assert.Equal(new[] { "fan", "left", "right", "each", "each-item" }, w.Tasks.Select(t => t.Id.Value));
        var fan = Assert.IsType<ParallelTask>(w.Tasks[0]);
        Assert.Equal(WaitFor.Any, fan.WaitFor);
        Assert.Equal(new[] { "left", "right" }, fan.Tasks.Select(r => r.Id));
        Assert.Equal("fan", w.FindTask("left")!.Owner);
        var loop = Assert.IsType<LoopTask>(w.FindTask("each"));
        Assert.Equal(2, loop.Parallelism);
        Assert.Equal(new[] { "fan", "each" }, w.DagTasks().Select(t => t.Id.Value));
        Assert.DoesNotContain(Validation.WorkflowValidator.Validate(read), d => d.Severity == Diagnostics.Severity.Error);
    }

    [Fact]
    public void Reading_a_task_output_without_depending_on_it_is_a_warning()
    {
        var diagnostics = Validate(Workflow("""
            { "id": "version", "type": "shell", "command": "echo 1", "outputs": ["value"] },
            { "id": "tag", "type": "shell", "command": "git tag ${tasks.version.outputs.value}" },
            { "id": "push", "type": "shell", "command": "echo ${tasks.version.outputs.valeu}", "depends_on": ["version"] }
            """));
        AssertAt(Single(diagnostics, "WF3008"), 5, 61);
        Assert.Contains("declares no output 'valeu'", Single(diagnostics, "WF3009").Message);
    }

    [Fact]
    public void Shell_variables_are_not_expressions_and_escapes_are_literal()
    {
        var diagnostics = Validate(Workflow("""{ "id": "a", "type": "shell", "command": "echo ${HOME} ${VAR:-x} $${item} ${#list[@]}" }"""));
        Assert.DoesNotContain(diagnostics, d => d.Code.StartsWith("WF3", StringComparison.Ordinal));
    }

    [Fact]
    public void Bottleneck_and_sequential_chain_are_warned()
    {
        var fan = string.Join(",\n", Enumerable.Range(1, 6).Select(i => $$"""{ "id": "t{{i}}", "type": "shell", "command": "x", "depends_on": ["setup"] }"""));
        var diagnostics = Validate(Workflow("""{ "id": "setup", "type": "shell", "command": "x" },""" + "\n" + fan));
        AssertAt(Single(diagnostics, "WF2007"), 4, 9);

        var chain = string.Join(",\n", Enumerable.Range(1, 6).Select(i => $$"""{ "id": "c{{i}}", "type": "shell", "command": "x"{{(i > 1 ? $", \"depends_on\": [\"c{i - 1}\"]" : "")}} }"""));
        var d = Single(Validate(Workflow(chain)), "WF2008");
        Assert.Contains("c1 -> c2 -> c3 -> c4 -> c5 -> c6", d.Message);

        var longChain = string.Join(",\n", Enumerable.Range(1, 300).Select(i => $$"""{ "id": "c{{i}}", "type": "shell", "command": "x"{{(i > 1 ? $", \"depends_on\": [\"c{i - 1}\"]" : "")}} }"""));
        var named = Single(Validate(Workflow(longChain)), "WF2008");
        Assert.Contains("300 tasks run strictly one after another: c1 -> c2 -> c3 -> ... -> c299 -> c300", named.Message);
        Assert.True(named.Message.Length < 120, named.Message);
    }
}

public class RemainingCodeTests
{
    [Theory]
    [InlineData("""{ "name": "t", "tasks": [] }""", "WF1024", 1, 25)]
    [InlineData("""{ "name": "t", "trigger": { "type": "file_change", "config": {} }, "tasks": [ { "id": "a", "type": "shell", "command": "x" } ] }""", "WF1026", 1, 62)]
    [InlineData("""{ "name": "", "tasks": [ { "id": "a", "type": "shell", "command": "x" } ] }""", "WF1028", 1, 11)]
    [InlineData("""{ "name": "t", "tasks": [ { "id": "a", "type": "conditional", "condition": "true", "then": ["nope"] } ] }""", "WF2003", 1, 93)]
    [InlineData("""{ "name": "t", "tasks": [ { "id": "a", "type": "shell", "command": "x", "depends_on": ["b", "b"] }, { "id": "b", "type": "shell", "command": "y" } ] }""", "WF2006", 1, 93)]
    [InlineData("""{ "name": "t", "tasks": [ { "id": "a", "type": "shell", "command": "x", "on_failure": ["b"] }, { "id": "b", "type": "shell", "command": "y", "depends_on": ["a"] } ] }""", "WF2009", 1, 157)]
    [InlineData("""{ "name": "t", "tasks": [ { "id": "p", "type": "parallel", "tasks": ["c"] }, { "id": "q", "type": "parallel", "tasks": ["c"] }, { "id": "c", "type": "shell", "command": "y" } ] }""", "WF2011", 1, 121)]
    [InlineData("""{ "name": "t", "tasks": [ { "id": "a", "type": "shell", "command": "echo ${env.HOME}" } ] }""", "WF3004", 1, 80)]
    [InlineData("""{ "name": "t", "trigger": "manual", "tasks": [ { "id": "a", "type": "shell", "command": "x" } ], "trigger": "manual" }""", "WF1005", 1, 98)]
    [InlineData("""{ "name": "t", "trigger": "manual", "triggers": [], "tasks": [ { "id": "a", "type": "shell", "command": "x" } ] }""", "WF1027", 1, 37)]
    public void Code_is_reported_at_its_position(string json, string code, int line, int column)
    {
        TestHelpers.AssertAt(TestHelpers.Single(TestHelpers.Validate(json), code), line, column);
    }

    [Fact]
    public void Rollback_task_may_name_the_tasks_it_undoes_in_depends_on()
    {
        var diagnostics = TestHelpers.Validate("""{ "name": "t", "rollback": ["undo"], "tasks": [ { "id": "a", "type": "shell", "command": "x" }, { "id": "undo", "type": "shell", "command": "y", "depends_on": ["a"] } ] }""");
        Assert.DoesNotContain(diagnostics, d => d.Descriptor.Code == "WF2009");
    }

    [Fact]
    public void Environment_checks_find_scripts_that_are_missing_or_not_executable()
    {
        var dir = Directory.CreateTempSubdirectory("pipeline-env-").FullName;
        Directory.CreateDirectory(Path.Combine(dir, "tools"));
        File.WriteAllText(Path.Combine(dir, "plain.sh"), "echo hi");
        File.WriteAllText(Path.Combine(dir, "tools", "run.sh"), "echo hi");
        File.SetUnixFileMode(Path.Combine(dir, "tools", "run.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var file = Path.Combine(dir, "s.workflow.json");
        File.WriteAllText(file, """
            { "name": "s", "tasks": [
              { "id": "a", "type": "shell", "command": "./plain.sh --fast" },
              { "id": "b", "type": "shell", "command": "./missing.sh" },
              { "id": "c", "type": "shell", "command": "./run.sh", "cwd": "tools" },
              { "id": "d", "type": "shell", "command": "sh ./plain.sh; ./$X.sh" }
            ] }
            """);
        var diagnostics = Loading.EnvironmentChecks.Check(Loading.WorkflowLoader.Load(file));
        var notExecutable = TestHelpers.Single(diagnostics, "WF4011");
        TestHelpers.AssertAt(notExecutable, 2, 44);
        Assert.Contains("chmod +x ./plain.sh", notExecutable.Hint);
        var missing = TestHelpers.Single(diagnostics, "WF4001");
        TestHelpers.AssertAt(missing, 3, 44);
        Assert.Equal(Diagnostics.Severity.Warning, missing.Severity); // an earlier task may create it
    }

    [Fact]
    public void Environment_checks_find_missing_files_directories_and_includes()
    {
        var dir = Path.Combine(Path.GetTempPath(), "pipeline-env-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, "env.workflow.json");
        File.WriteAllText(file, """
            { "name": "e", "tasks": [
              { "id": "py", "type": "python", "file": "scripts/missing.py" },
              { "id": "sh", "type": "shell", "command": "x", "cwd": "no-such-dir" },
              { "id": "ok", "type": "python", "file": "present.py", "cwd": "${env.HOME}" }
            ] }
            """);
        File.WriteAllText(Path.Combine(dir, "present.py"), "print(1)");
        var diagnostics = Loading.EnvironmentChecks.Check(Loading.WorkflowLoader.Load(file));
        TestHelpers.AssertAt(TestHelpers.Single(diagnostics, "WF4001"), 2, 43);
        TestHelpers.AssertAt(TestHelpers.Single(diagnostics, "WF4004"), 3, 57);

        var taskfile = Path.Combine(dir, "Taskfile.yml");
        File.WriteAllText(taskfile, "version: '3'\ndotenv: ['.env']\nincludes:\n  lib: ./lib/Taskfile.yml\n  opt:\n    taskfile: ./nope\n    optional: true\ntasks:\n  a: echo\n");
        var t = Loading.EnvironmentChecks.Check(Loading.WorkflowLoader.Load(taskfile));
        TestHelpers.AssertAt(TestHelpers.Single(t, "WF4005"), 4, 8);
        TestHelpers.AssertAt(TestHelpers.Single(t, "WF4006"), 2, 10);
    }

    [Fact]
    public void Every_code_is_documented_in_the_README_table()
    {
        var readme = File.ReadAllText(Path.Combine(TestHelpers.RepoRoot, "README.md"));
        foreach (var d in Diagnostics.Descriptors.All)
            Assert.True(readme.Contains($"| {d.Code} | {d.DefaultSeverity.ToString().ToLowerInvariant()} | {d.Title} |"), $"README.md lacks a row for {d.Code} ({d.Title})");
    }
}

public class SchemaTests
{
    [Fact]
    public void Json_schema_knows_exactly_the_fields_the_reader_knows()
    {
        using var schema = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(TestHelpers.RepoRoot, "schemas", "workflow.schema.json")));
        var top = schema.RootElement.GetProperty("properties").EnumerateObject().Select(p => p.Name).OrderBy(n => n).ToList();
        Assert.Equal(Reading.WorkflowJsonReader.WorkflowFields.OrderBy(n => n).ToList(), top);
        var task = schema.RootElement.GetProperty("definitions").GetProperty("task").GetProperty("properties").EnumerateObject().Select(p => p.Name).OrderBy(n => n).ToList();
        Assert.Equal(Reading.TaskJsonReader.AllTaskFields.OrderBy(n => n).ToList(), task);
        var types = schema.RootElement.GetProperty("definitions").GetProperty("task").GetProperty("properties").GetProperty("type").GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).OrderBy(n => n).ToList();
        Assert.Equal(Model.TaskTypes.ByName.Keys.OrderBy(n => n).ToList(), types);
    }
}
