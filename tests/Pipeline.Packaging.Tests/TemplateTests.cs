using Pipeline.Core.Loading;
using Pipeline.Core.Validation;

namespace Pipeline.Packaging.Tests;

/// <summary>`dotnet new workflow` and `dotnet new workflow-file` from the packed template pack, built with the packed packages only.</summary>
public sealed class TemplateTests(PackagesFixture packages) : IClassFixture<PackagesFixture>
{
    [Fact]
    public void A_new_build_project_builds_runs_its_workflow_and_reports_a_cycle_at_its_line()
    {
        var work = Directory.CreateDirectory(Path.Combine(packages.Root, "case-" + Guid.NewGuid().ToString("N")[..8]));
        Dotnet.Ok(work.FullName, "new", "workflow", "-n", "Acme.Build", "-o", "build", "--trigger", "schedule", "--category", "release",
            "--pipeline-version", packages.Version, "--no-restore", "--debug:custom-hive", packages.Hive);
        var workflow = Path.Combine(work.FullName, "build", "workflows", "deploy.workflow.json");
        Assert.Contains("\"schedule\": \"0 2 * * *\"", File.ReadAllText(workflow));
        Assert.Contains("\"category\": \"release\"", File.ReadAllText(workflow));

        Dotnet.Ok(work.FullName, "build", "build", "-nologo");
        var deploy = Dotnet.Ok(work.FullName, "run", "--project", "build", "--no-build", "--", "deploy");
        Assert.Contains("deploy │ ✓ publish succeeded", deploy);
        var ship = Dotnet.Ok(work.FullName, "run", "--project", "build", "--no-build");
        Assert.Contains("shipped version 1.0.0 to staging", ship);
        Assert.Contains("Build succeeded", ship);

        // A cycle: package now waits for publish, which waits for package.
        var text = File.ReadAllText(workflow);
        File.WriteAllText(workflow, text.Replace("\"id\": \"package\",", "\"id\": \"package\", \"depends_on\": [\"publish\"],"));
        var lines = File.ReadAllLines(workflow);
        var line = Array.FindIndex(lines, l => l.Contains("\"depends_on\": [\"publish\"]")) + 1;
        var column = lines[line - 1].IndexOf("\"publish\"", StringComparison.Ordinal) + 1;
        var (code, output) = Dotnet.Run(work.FullName, "build", "build", "-nologo");
        Assert.NotEqual(0, code);
        Assert.Contains($"deploy.workflow.json({line},{column}): error WF2004: dependency cycle", output);

        File.WriteAllText(workflow, text);
        Dotnet.Ok(work.FullName, "build", "build", "-nologo");
    }

    [Fact]
    public void A_new_workflow_file_is_valid_and_takes_its_name_and_trigger()
    {
        var work = Directory.CreateDirectory(Path.Combine(packages.Root, "case-" + Guid.NewGuid().ToString("N")[..8]));
        Dotnet.Ok(work.FullName, "new", "workflow-file", "-n", "release", "--trigger", "webhook", "-o", "workflows", "--debug:custom-hive", packages.Hive);
        var path = Path.Combine(work.FullName, "workflows", "release.workflow.json");
        var read = WorkflowLoader.Load(path);
        Assert.DoesNotContain(WorkflowValidator.Validate(read), d => d.Severity == Core.Diagnostics.Severity.Error);
        Assert.Equal("release", read.Workflow!.Name.Value);
        Assert.Equal(Core.Model.TriggerType.Webhook, Assert.Single(read.Workflow.Triggers).Type);
    }

    [Fact]
    public void Template_help_lists_the_parameters_and_choices()
    {
        var help = Dotnet.Ok(packages.Root, "new", "workflow", "-h", "--debug:custom-hive", packages.Hive);
        Assert.Contains("--trigger", help);
        Assert.Contains("schedule", help);
        Assert.Contains("--pipeline-version", help);
        Assert.Contains("--no-restore", help);
    }
}
