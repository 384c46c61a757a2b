using Pipeline.Build;

namespace Fixture;

/// <summary>C# targets around the Taskfile's tasks: Generate before its compile, Package after it.</summary>
partial class Build : PipelineBuild
{
    public static Task<int> Main(string[] args) => Run<Build>(args);

    Target Generate => _ => _
        .DependentFor(Workflows.Taskfile.Compile)
        .Executes(c => c.Log("generating"));

    Target Package => _ => _
        .DependsOn(Workflows.Taskfile.Compile)
        .Executes(c => c.Log("packaging"));
}
