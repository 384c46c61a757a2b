using System.Text;
using System.Text.Json;
using static Pipeline.Cli.Tests.WorkflowProcess;

namespace Pipeline.Cli.Tests;

public class ValidateCommandTests
{
    [Fact]
    public void Seed_example_fails_with_canonical_diagnostics_for_the_three_callbacks()
    {
        var (code, stdout, _) = Run(RepoRoot, "validate", "docs/seed-example.workflow.json");
        Assert.Equal(2, code);
        Assert.Contains("docs/seed-example.workflow.json(58,22): error WF2002: task 'deploy' has unknown task 'notify-success' in on_success", stdout);
        Assert.Contains("docs/seed-example.workflow.json(59,22): error WF2002: task 'deploy' has unknown task 'rollback' in on_failure", stdout);
        Assert.Contains("docs/seed-example.workflow.json(59,34): error WF2002: task 'deploy' has unknown task 'notify-failure' in on_failure", stdout);
        Assert.Contains("hint: define a task with this id", stdout);
    }

    [Fact]
    public void Corrected_file_exits_0_with_a_summary()
    {
        var (code, stdout, _) = Run(RepoRoot, "validate", "samples/deploy/deploy.workflow.json");
        Assert.Equal(0, code);
        Assert.Contains("valid: workflow 'deploy-application', 8 tasks, 4 parallel levels (up to 2 at once); critical path: checkout -> install -> test -> deploy, at most 31m by timeouts", stdout);
    }

    [Fact]
    public void Without_arguments_it_validates_the_default_locations()
    {
        var dir = TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "workflows", "nested"));
        File.WriteAllText(Path.Combine(dir, "workflows", "nested", "a.workflow.json"), """{ "name": "a", "tasks": [ { "id": "x", "type": "shell", "command": "true" } ] }""");
        File.WriteAllText(Path.Combine(dir, "Taskfile.yml"), "version: '3'\ntasks:\n  build:\n    cmds: [echo hi]\n");
        File.WriteAllText(Path.Combine(dir, "ignored.json"), "not json");
        var (code, stdout, _) = Run(dir, "validate");
        Assert.Equal(0, code);
        Assert.Contains("workflows/nested/a.workflow.json: valid", stdout);
        Assert.Contains("Taskfile.yml: valid", stdout);
        Assert.Contains("2 files checked: 2 valid", stdout);
    }

    [Fact]
    public void Json_format_lists_diagnostics_with_positions()
    {
        var (code, stdout, _) = Run(RepoRoot, "validate", "docs/seed-example.workflow.json", "--format", "json");
        Assert.Equal(2, code);
        using var doc = JsonDocument.Parse(stdout);
        var diagnostics = doc.RootElement.GetProperty("files")[0].GetProperty("diagnostics");
        // The three unknown callbacks, and a warning: its ./deploy.sh is not beside it.
        Assert.Equal(4, diagnostics.GetArrayLength());
        Assert.Equal(["WF2002", "WF2002", "WF2002", "WF4001"], diagnostics.EnumerateArray().Select(d => d.GetProperty("code").GetString()));
        Assert.Equal("warning", diagnostics[3].GetProperty("severity").GetString());
        Assert.Equal(58, diagnostics[0].GetProperty("line").GetInt32());
        Assert.Equal(22, diagnostics[0].GetProperty("column").GetInt32());
        Assert.False(doc.RootElement.GetProperty("valid").GetBoolean());
    }

    [Fact]
    public void Bad_input_gets_diagnostics_and_exit_2_never_a_stack_trace()
    {
        var dir = TempDir();
        File.WriteAllText(Path.Combine(dir, "truncated.workflow.json"), "{ \"name\": \"t\", \"tasks\": [ { \"id\": \"a\"");
        File.WriteAllBytes(Path.Combine(dir, "latin1.workflow.json"), Encoding.Latin1.GetBytes("{ \"name\": \"caf\u00e9\", \"tasks\": [] }"));
        File.WriteAllText(Path.Combine(dir, "wrongtype.workflow.json"), """{ "name": "w", "tasks": "build" }""");
        File.WriteAllText(Path.Combine(dir, "Taskfile.yml"), "version: '3'\ntasks:\n  build:\n\tcmds: [echo]\n");
        using (var big = File.Create(Path.Combine(dir, "big.workflow.json"))) big.SetLength(10 * 1024 * 1024);
        var (code, stdout, stderr) = Run(dir, "validate", ".");
        Assert.Equal(2, code);
        Assert.DoesNotContain("   at ", stdout + stderr); // no stack trace
        Assert.Contains("truncated.workflow.json(1,27): error WF1001", stdout);
        Assert.Contains("latin1.workflow.json(1,15): error WF1003", stdout);
        Assert.Contains("wrongtype.workflow.json(1,25): error WF1012", stdout);
        Assert.Contains("Taskfile.yml(4,1): error WF1002: a tab character is used for indentation", stdout);
        Assert.Contains("big.workflow.json(1,1): error WF1004", stdout);
    }

    [Fact]
    public void Hundreds_of_workflows_in_a_directory_are_all_checked()
    {
        var dir = TempDir();
        for (var i = 0; i < 300; i++)
            File.WriteAllText(Path.Combine(dir, $"w{i:000}.workflow.json"),
                i == 150 ? """{ "name": "bad", "tasks": [ { "id": "a", "type": "shell", "command": "x", "depends_on": ["nope"] } ] }"""
                         : $$"""{ "name": "w{{i}}", "tasks": [ { "id": "a", "type": "shell", "command": "x" } ] }""");
        var (code, stdout, _) = Run(dir, "validate", ".");
        Assert.Equal(2, code);
        Assert.Contains("w150.workflow.json(1,90): error WF2001", stdout);
        Assert.Contains("300 files checked: 299 valid, 1 invalid", stdout);
    }

    [Fact]
    public void Usage_errors_and_missing_paths_exit_2()
    {
        Assert.Equal(2, Run(RepoRoot, "validate", "--no-such-option").ExitCode);
        var (code, stdout, _) = Run(RepoRoot, "validate", "does/not/exist.workflow.json");
        Assert.Equal(2, code);
        Assert.Contains("does/not/exist.workflow.json(1,1): error WF1006", stdout);
        var empty = TempDir();
        var none = Run(empty, "validate");
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("error WF4007: no workflow files found", none.Stdout);
    }

    [Fact]
    public void Config_file_changes_severities()
    {
        var dir = TempDir();
        var chain = string.Join(",", Enumerable.Range(1, 6).Select(i => $$"""{ "id": "c{{i}}", "type": "shell", "command": "x"{{(i > 1 ? $", \"depends_on\": [\"c{i - 1}\"]" : "")}} }"""));
        File.WriteAllText(Path.Combine(dir, "chain.workflow.json"), $$"""{ "name": "c", "tasks": [ {{chain}} ] }""");
        Assert.Contains("warning WF2008", Run(dir, "validate").Stdout);
        File.WriteAllText(Path.Combine(dir, ".workflow-config.json"), """{ "diagnostics": { "WF2008": "error" } }""");
        var asError = Run(dir, "validate");
        Assert.Equal(2, asError.ExitCode);
        Assert.Contains("error WF2008", asError.Stdout);
        File.WriteAllText(Path.Combine(dir, ".workflow-config.json"), """{ "diagnostics": { "WF2008": "none" } }""");
        Assert.DoesNotContain("WF2008", Run(dir, "validate").Stdout);
        File.WriteAllText(Path.Combine(dir, ".workflow-config.json"), """{ "diagnostics": { "WF9999": "none" } }""");
        var bad = Run(dir, "validate");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("error WF4008", bad.Stdout);
    }

    [Fact]
    public void Help_lists_commands_options_and_examples()
    {
        var (code, stdout, _) = Run(RepoRoot, "validate", "--help");
        Assert.Equal(0, code);
        Assert.Contains("Examples:", stdout);
        Assert.Contains("--format", stdout);
        Assert.Contains("Exit codes", stdout);
    }

    [Fact]
    public void Missing_interpreters_and_a_missing_docker_engine_are_warnings_at_the_task_type()
    {
        var dir = TempDir();
        File.WriteAllText(Path.Combine(dir, "tools.workflow.json"), """
            { "name": "tools", "tasks": [
              { "id": "js", "type": "javascript", "script": "1" },
              { "id": "box", "type": "docker", "image": "busybox" }
            ] }
            """);
        var socket = $"unix://{dir}/no-docker.sock";
        var (code, stdout, _) = RunWithEnvironment(dir, new Dictionary<string, string> { ["PATH"] = dir, ["DOCKER_HOST"] = socket }, "validate");
        Assert.Equal(0, code); // warnings only
        Assert.Contains("tools.workflow.json(2,25): warning WF4002: 'node' is not on PATH", stdout);
        Assert.Contains($"tools.workflow.json(3,26): warning WF4003: no Docker engine answers at {socket}, so docker tasks will fail here", stdout);
    }

    [Fact]
    public void Verbose_explains_levels_and_schedules()
    {
        var dir = TempDir();
        File.WriteAllText(Path.Combine(dir, "nightly.workflow.json"), """
            { "name": "nightly", "trigger": { "type": "schedule", "config": { "schedule": "30 2 * * 1-5" } },
              "tasks": [ { "id": "a", "type": "shell", "command": "x" }, { "id": "b", "type": "shell", "command": "y", "depends_on": ["a"] } ] }
            """);
        var (code, stdout, _) = Run(dir, "validate", "--verbose");
        Assert.Equal(0, code);
        Assert.Contains("level 1: b", stdout);
        Assert.Contains("schedule \"30 2 * * 1-5\": at 02:30, on weekdays (UTC)", stdout);
    }
}
