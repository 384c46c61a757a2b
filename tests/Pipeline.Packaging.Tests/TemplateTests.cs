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
    public void A_new_project_restores_from_its_package_source_and_a_new_workflow_file_in_it_builds_and_runs_unchanged()
    {
        // Outside the fixture's folder: no nuget.config above it names the packages under test.
        var work = Directory.CreateTempSubdirectory("pipeline-template-").FullName;
        try
        {
            var created = Dotnet.Ok(work, "new", "workflow", "-n", "Acme.Build", "-o", "build", "--pipeline-version", packages.Version,
                "--package-source", packages.Packages, "--debug:custom-hive", packages.Hive);
            Assert.Contains("Restore succeeded", created);
            Assert.Contains(packages.Packages, File.ReadAllText(Path.Combine(work, "build", "nuget.config")));

            // workflow-file's tasks used to run `dotnet build` in build/workflows, where there is no project (MSB1003).
            Dotnet.Ok(work, "new", "workflow-file", "-n", "release", "-o", "build/workflows", "--debug:custom-hive", packages.Hive);
            Dotnet.Ok(work, "build", "build", "-nologo");
            var run = Dotnet.Ok(work, "run", "--project", "build", "--no-build", "--", "release");
            Assert.Contains("release │ ✓ done succeeded", run);
            // Recorded for `workflow history`, as a build project's runs are.
            Assert.True(File.Exists(Path.Combine(work, ".workflow", "state.db")));
        }
        finally { Directory.Delete(work, recursive: true); }
    }

    [Fact]
    public void A_restore_that_fails_makes_dotnet_new_fail_and_says_where_the_packages_must_come_from()
    {
        var work = Directory.CreateTempSubdirectory("pipeline-template-").FullName;
        try
        {
            // No --package-source and no nuget.config naming one: Pipeline.Sdk cannot be found. An empty
            // NuGet cache of its own, or NuGet takes whatever Pipeline.Sdk other runs left in the shared one.
            var cache = Path.Combine(work, "nuget-cache");
            var (code, output) = Dotnet.RunWith(work, new Dictionary<string, string> { ["NUGET_PACKAGES"] = cache },
                "new", "workflow", "-n", "Acme.Build", "-o", "build", "--pipeline-version", packages.Version,
                "--debug:custom-hive", packages.Hive);
            Assert.True(code != 0, output);
            Assert.Contains("Pipeline.Sdk must come from a NuGet source", output);
            Assert.Contains("--package-source", output);
            Assert.False(File.Exists(Path.Combine(work, "build", "nuget.config")));
        }
        finally { Directory.Delete(work, recursive: true); }
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
    public void A_workflow_file_from_each_built_in_template_is_what_workflow_generate_writes_and_valid()
    {
        var work = Directory.CreateDirectory(Path.Combine(packages.Root, "case-" + Guid.NewGuid().ToString("N")[..8]));
        foreach (var template in new[] { "ci", "deploy", "backup", "etl", "webhook-handler" })
        {
            Dotnet.Ok(work.FullName, "new", "workflow-file", "-n", "my-" + template, "--template", template, "-o", "workflows", "--debug:custom-hive", packages.Hive);
            var path = Path.Combine(work.FullName, "workflows", $"my-{template}.workflow.json");
            // The one copy in templates/workflows/, as `workflow generate --template … --name my-…` writes it.
            var expected = File.ReadAllText(Path.Combine(PackagesFixture.RepoRoot(), "templates", "workflows", template + ".workflow.json")).Replace("{{name}}", "my-" + template);
            Assert.Equal(expected, File.ReadAllText(path));
            var read = WorkflowLoader.Load(path);
            Assert.DoesNotContain(WorkflowValidator.Validate(read), d => d.Severity == Core.Diagnostics.Severity.Error);
        }
        Assert.Equal(5, Directory.GetFiles(Path.Combine(work.FullName, "workflows")).Length); // no sample, no library/ folder
        var help = Dotnet.Ok(packages.Root, "new", "workflow-file", "-h", "--debug:custom-hive", packages.Hive);
        Assert.Contains("webhook-handler", help);
    }

    [Fact]
    public void Template_help_lists_the_parameters_and_choices()
    {
        var help = Dotnet.Ok(packages.Root, "new", "workflow", "-h", "--debug:custom-hive", packages.Hive);
        Assert.Contains("--trigger", help);
        Assert.Contains("schedule", help);
        Assert.Contains("--pipeline-version", help);
        Assert.Contains("--no-restore", help);
        Assert.Contains("--package-source", help);
    }
}
