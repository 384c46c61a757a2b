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

    [Parameter("publish-tool: native (Native AOT, needs clang) or readytorun; default: native when clang is there")]
    string ToolBuild = "";

    /// <summary>
    /// The fast `workflow` (what the benches and the README's figures use): Native AOT as a fixed-address
    /// executable (see src/Pipeline.Cli's csproj for why), or, without a C toolchain, self-contained
    /// ReadyToRun composite. `dotnet tool install` keeps the framework-dependent package from Pack.
    /// </summary>
    Target PublishTool => _ => _
        .Description("Publish the fast workflow tool to artifacts/workflow/workflow (Native AOT; ReadyToRun without clang)")
        .Executes(async c =>
        {
            var output = Path.Combine(Root, "artifacts", "workflow");
            var clang = FindOnPath("clang") ?? FindOnPath("clang-19") ?? FindOnPath("clang-18") ?? FindOnPath("clang-17") ?? FindOnPath("clang-16") ?? FindOnPath("clang-15") ?? FindOnPath("clang-14");
            var native = ToolBuild switch
            {
                "native" => true,
                "readytorun" => false,
                "" => clang is not null,
                _ => throw new ArgumentException($"ToolBuild \"{ToolBuild}\" is neither native nor readytorun"),
            };
            if (native && clang is null) throw new InvalidOperationException("a native tool needs clang (apt-get install clang), or use --tool-build readytorun");
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
            string[] common = ["publish", Path.Combine(Root, "src/Pipeline.Cli"), "-c", "Release", "-r", System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier, "-o", output, "--nologo"];
            if (native)
            {
                c.Log($"Native AOT with {clang} (a few minutes on two cores)");
                await c.RunAsync("dotnet", [.. common, "-p:PipelineNativeTool=true", $"-p:CppCompilerAndLinker={clang}"], Root, null);
            }
            else
            {
                c.Log("ReadyToRun composite, self-contained (no clang for Native AOT)");
                await c.RunAsync("dotnet", [.. common, "--self-contained", "-p:PublishReadyToRun=true", "-p:PublishReadyToRunComposite=true"], Root, null);
            }
            foreach (var debris in Directory.EnumerateFiles(output, "*.pdb").Concat(Directory.EnumerateFiles(output, "*.dbg")).Concat(Directory.EnumerateFiles(output, "*.xml")))
                File.Delete(debris);
            c.Log($"{Path.Combine(output, "workflow")}: {new FileInfo(Path.Combine(output, "workflow")).Length / (1024 * 1024)} MiB");
        });

    static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);

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
