namespace Pipeline.Cli.Tests;

/// <summary>`workflow generate`: every built-in template writes a valid workflow under the name given.</summary>
public sealed class GenerateCommandTests
{
    public static TheoryData<string> Templates => ["ci", "deploy", "backup", "etl", "webhook-handler"];

    [Theory, MemberData(nameof(Templates))]
    public void Each_template_writes_a_valid_workflow_named_as_asked(string template)
    {
        var dir = WorkflowProcess.TempDir();
        var name = "my-" + template;
        var (code, stdout, stderr) = WorkflowProcess.Run(dir, "generate", "--template", template, "--name", name);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains($"Wrote workflows/{name}.workflow.json", stdout);
        Assert.Contains($"workflow run {name} --dry-run", stdout);
        Assert.Equal("", stderr); // no diagnostic above info

        var validate = WorkflowProcess.Run(dir, "validate", $"workflows/{name}.workflow.json");
        Assert.True(validate.ExitCode == 0, validate.Stdout + validate.Stderr);
        Assert.Contains($"valid: workflow '{name}'", validate.Stdout);
        Assert.Equal(0, WorkflowProcess.Run(dir, "run", name, "--dry-run").ExitCode);
    }

    [Fact]
    public void The_list_names_every_template_and_mistakes_are_refused()
    {
        var dir = WorkflowProcess.TempDir();
        var (code, stdout, _) = WorkflowProcess.Run(dir, "generate", "--list");
        Assert.Equal(0, code);
        foreach (var template in new[] { "ci", "deploy", "backup", "etl", "webhook-handler" }) Assert.Contains($"  {template} ", stdout);

        Assert.Equal(0, WorkflowProcess.Run(dir, "generate", "-t", "ci").ExitCode);
        var again = WorkflowProcess.Run(dir, "generate", "-t", "ci");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("workflows/ci.workflow.json exists; pass --force", again.Stderr);
        Assert.Equal(0, WorkflowProcess.Run(dir, "generate", "-t", "ci", "--force").ExitCode);
        Assert.Equal(2, WorkflowProcess.Run(dir, "generate", "-t", "nope").ExitCode);
        var badName = WorkflowProcess.Run(dir, "generate", "-t", "ci", "--name", "My CI");
        Assert.Equal(2, badName.ExitCode);
        Assert.Contains("is not kebab-case", badName.Stderr);
    }
}
