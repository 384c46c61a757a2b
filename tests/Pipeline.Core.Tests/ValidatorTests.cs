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
    public void Cycle_is_reported_with_the_whole_path_at_every_edge()
    {
        var read = ReadJson(Workflow("""
                { "id": "one", "type": "shell", "command": "a", "depends_on": ["three"] },
                { "id": "two", "type": "shell", "command": "b", "depends_on": ["one"] },
                { "id": "three", "type": "shell", "command": "c", "depends_on": ["two"] }
            """));
        var diagnostics = Validation.WorkflowValidator.Validate(read);
        var cycles = diagnostics.Where(d => d.Code == "WF2004").ToList();
        Assert.Equal(3, cycles.Count);
        Assert.All(cycles, d => Assert.Contains("one -> three -> two -> one", d.Message));
        Assert.Equal(new[] { 4, 5, 6 }, cycles.Select(d => d.Span.Line).OrderBy(l => l));
        // Each diagnostic underlines the depends_on entry that closes an edge of the cycle.
        Assert.Equal(new[] { "\"three\"", "\"one\"", "\"two\"" },
            cycles.OrderBy(d => d.Span.Line).Select(d => read.Document!.Text.Substring(d.Span.Start, d.Span.Length)));
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
    }
}
