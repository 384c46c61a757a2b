using Pipeline.Build;

namespace Pipeline.Repository;

/// <summary>
/// The repository's pipeline. `dotnet run --project build -- --help` lists it all. Targets that do
/// not depend on each other run at the same time: Test, Validate and the hello workflow overlap.
/// </summary>
partial class Build : PipelineBuild
{
    public static Task<int> Main(string[] args) => Run<Build>(args, x => x.Ci);

    [Parameter("Debug or Release")]
    Configuration Configuration = Configuration.Debug;

    [Parameter("Where packages go (relative to the repository)")]
    string PackageOutput = "artifacts/packages";

    [Parameter("Run the benchmarks in their short form")]
    bool Quick = true;

    string Root => Path.GetFullPath(Path.Combine(ProjectDirectory, ".."));
    string Solution => Path.Combine(Root, "Pipeline.sln");
    string Config => Configuration.ToString();

    Target Restore => _ => _
        .Description("Restore the solution's packages")
        .Executes(c => c.RunAsync("dotnet", "restore", Solution, "--nologo"));

    Target Compile => _ => _
        .Description("Build the solution")
        .DependsOn(Restore)
        .Executes(c => c.RunAsync("dotnet", "build", Solution, "--no-restore", "--nologo", "-c", Config));

    Target Validate => _ => _
        .Description("Validate the sample workflows and Taskfile with the workflow tool")
        .DependsOn(Compile)
        .Executes(c => c.RunAsync("dotnet", ["run", "--project", Path.Combine(Root, "src/Pipeline.Cli"), "--no-build", "-c", Config, "--", "validate", "samples"], Root, null));

    Target Test => _ => _
        .Description("Run every test project (tests/run: starts PostgreSQL first)")
        .DependsOn(Compile)
        .Executes(c => c.RunAsync("bash", [Path.Combine(Root, "tests/run"), "--no-build", "--nologo", "-c", Config], Root, null));

    Target Pack => _ => _
        .Description("Pack the NuGet packages into PackageOutput")
        .DependsOn(Compile)
        .After(Test)
        .Executes(c => c.RunAsync("dotnet", "pack", Solution, "--no-build", "--nologo", "-c", Config, "-o", Path.Combine(Root, PackageOutput)));

    Target Bench => _ => _
        .Description("Run the benchmarks and print the README's table")
        .After(Test)
        .Executes(c => c.RunAsync("bash", [Path.Combine(Root, "bench/run.sh"), .. Quick ? new[] { "--quick" } : []], Root, null));

    Target Samples => _ => _
        .Description("Run the sample workflows (typed: Workflows.Hello)")
        .DependsOn(Workflows.Hello.Workflow);

    /// <summary>Does nothing: bench/startup_bench.py times how fast the build project starts with it.</summary>
    Target Ready => _ => _
        .Description("Do nothing (measures the build project's start-up)")
        .Unlisted();

    Target Ci => _ => _
        .Description("What CI runs: validate the samples, run them, run the tests")
        .DependsOn(Validate, Samples, Test);
}

enum Configuration { Debug, Release }
