using System.Diagnostics;

namespace Pipeline.Generators.Tests;

/// <summary>
/// A real project (tests/Fixtures/TypedWorkflows, copied so each test edits its own) built with
/// `dotnet build`: the generator runs inside the compiler, the ValidateWorkflows task before it.
/// </summary>
public sealed class EndToEndTests : IDisposable
{
    private readonly string _project;

    public EndToEndTests()
    {
        _project = Path.Combine(GeneratorHarness.RepoRoot, "artifacts", "test-projects", Guid.NewGuid().ToString("N")[..12]);
        Copy(Path.Combine(GeneratorHarness.RepoRoot, "tests", "Fixtures", "TypedWorkflows"), _project);
    }

    public void Dispose()
    {
        try { Directory.Delete(_project, recursive: true); }
        catch (IOException) { }
    }

    private string Workflow => Path.Combine(_project, "workflows", "deploy.workflow.json");

    [Fact]
    public void The_project_builds_with_typed_workflows_and_a_machine_check_warning_then_runs()
    {
        var build = Dotnet("build", "-nologo");
        Assert.True(build.ExitCode == 0, build.Output);
        Assert.Contains("workflows/deploy.workflow.json(8,49,8,60): warning WF4011: script \"./ship.sh\" run by task 'ship' is not executable", build.Output);

        var run = Dotnet("run", "--no-build");
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("tasks: pre-build, build, ship", run.Output);
        Assert.Contains("output: ${tasks.build.outputs.version}", run.Output);
        Assert.Contains("depends_on of ship: build", run.Output);
    }

    [Fact]
    public void A_cycle_fails_the_build_at_its_line_and_validate_workflows_reports_it_standalone()
    {
        File.WriteAllText(Workflow, File.ReadAllText(Workflow).Replace(
            "{ \"id\": \"pre-build\", \"type\": \"shell\", \"command\": \"echo preparing\" }",
            "{ \"id\": \"pre-build\", \"type\": \"shell\", \"command\": \"echo preparing\", \"depends_on\": [\"ship\"] }"));
        var build = Dotnet("build", "-nologo");
        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("workflows/deploy.workflow.json(6,87): error WF2004: dependency cycle: pre-build -> ship -> build -> pre-build", build.Output);

        var validate = Dotnet("msbuild", "-t:ValidateWorkflows", "-nologo");
        Assert.NotEqual(0, validate.ExitCode);
        Assert.Contains("workflows/deploy.workflow.json(6,87,6,93): error WF2004", validate.Output);

        File.WriteAllText(Workflow, File.ReadAllText(Workflow).Replace(", \"depends_on\": [\"ship\"] }", " }"));
        var fixedBuild = Dotnet("build", "-nologo");
        Assert.True(fixedBuild.ExitCode == 0, fixedBuild.Output);
    }

    private (int ExitCode, string Output) Dotnet(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _project, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) process.Kill(entireProcessTree: true);
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.StartsWith("bin") || relative.StartsWith("obj")) continue;
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
