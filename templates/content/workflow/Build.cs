using Pipeline.Build;

namespace Company.Build;

/// <summary>
/// The build. Targets are properties. `dotnet run` runs Ship (the default) and what it depends on;
/// `dotnet run -- deploy` runs the workflow alone, `dotnet run -- deploy:package` one of its tasks,
/// `dotnet run -- --plan` shows the graph and `dotnet run -- --help` everything there is.
/// </summary>
partial class Build : PipelineBuild
{
    public static Task<int> Main(string[] args) => Run<Build>(args, x => x.Ship);

    [Parameter("Where to deploy")]
    string Stage = "staging";

    Target Check => _ => _
        .Description("Check that the tools are here")
        .Executes(c => c.RunAsync("dotnet", "--version"));

    Target Ship => _ => _
        .Description("Check, run workflows/deploy.workflow.json, report what was shipped")
        .DependsOn(Check)
        .DependsOn(Workflows.Deploy.Workflow)
        .Executes(c => c.Log($"shipped version {c.Output(Workflows.Deploy.Package.Version)} to {Stage}"));
}
