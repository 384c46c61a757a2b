using Pipeline.Build;

namespace Fixture;

/// <summary>C# targets around the Taskfile's tasks: Generate before its compile, Package after it.</summary>
partial class Build : PipelineBuild
{
    public static Task<int> Main(string[] args) => Run<Build>(args);

    Target Generate => _ => _
        .DependentFor(Workflows.Tasks.Compile)
        .Executes(c => c.Log("generating"));

    Target Package => _ => _
        .DependsOn(Workflows.Tasks.Compile)
        .Executes(c => c.Log("packaging"));

    /// <summary>Runs beside the Taskfile's waits task and releases it once it has started: both finish only if they overlap.</summary>
    Target Release => _ => _
        .Executes(async () =>
        {
            var deadline = DateTime.UtcNow.AddSeconds(60); // a generous deadline on the observable file, not a count of sleeps
            while (!File.Exists("waits-started") && DateTime.UtcNow < deadline) await Task.Delay(20);
            if (!File.Exists("waits-started")) throw new TimeoutException("the Taskfile's waits task did not start beside Release");
            File.WriteAllText("release", "");
        });

    Target Together => _ => _
        .DependsOn(Release)
        .DependsOn(Workflows.Tasks.Waits);
}
