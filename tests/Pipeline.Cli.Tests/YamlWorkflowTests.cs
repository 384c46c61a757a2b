namespace Pipeline.Cli.Tests;

/// <summary>`*.workflow.yml` and `workflow.yml` hold the workflow schema: found, validated with positions, run and listed like JSON.</summary>
public sealed class YamlWorkflowTests
{
    [Fact]
    public void A_yaml_workflow_is_found_validated_run_by_name_and_listed()
    {
        var dir = WorkflowProcess.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "workflows"));
        File.WriteAllText(Path.Combine(dir, "workflows", "greet.workflow.yml"), """
            name: greet
            version: 1.0.0
            environment:
              WHO: world
            tasks:
              - id: hello
                type: shell
                command: echo "hello $WHO" > out.txt
              - id: check
                type: shell
                command: grep -q world out.txt
                depends_on: [hello]
            """);
        File.WriteAllText(Path.Combine(dir, "workflow.yml"), "name: Top Level\ntasks:\n  - id: t\n    type: shell\n    command: 'true'\n");

        var (code, stdout, _) = WorkflowProcess.Run(dir, "validate");
        Assert.Equal(0, code);
        Assert.Contains("workflows/greet.workflow.yml: valid: workflow 'greet', 2 tasks", stdout);
        Assert.Contains("workflow.yml(1,7): warning WF1029: workflow name \"Top Level\" is not kebab-case", stdout);

        Assert.Equal(0, WorkflowProcess.Run(dir, "run", "greet", "--quiet").ExitCode);
        Assert.Equal("hello world", File.ReadAllText(Path.Combine(dir, "workflows", "out.txt")).Trim());
        Assert.Matches(@"greet\s+1\.0\.0\s+manual\s+2\s+succeeded", WorkflowProcess.Run(dir, "list").Stdout);
    }
}
