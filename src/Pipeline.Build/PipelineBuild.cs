using Pipeline.Build.Hosting;
using Pipeline.Core.Typed;

namespace Pipeline.Build;

/// <summary>
/// The base of a build project's class, NUKE-style:
/// <code>
/// partial class Build : PipelineBuild
/// {
///     public static Task&lt;int&gt; Main(string[] args) =&gt; Run&lt;Build&gt;(args, x =&gt; x.Test);
///     [Parameter("Debug or Release")] string Configuration = "Debug";
///     Target Compile =&gt; _ =&gt; _.Executes(() =&gt; ...);
///     Target Test =&gt; _ =&gt; _.DependsOn(Compile).Executes(...);
/// }
/// </code>
/// The class must be <c>partial</c>: Pipeline.Generators writes the list of its targets, the binding
/// of its parameters and the list of the project's generated workflows into the other part, so the
/// host starts without reflection. The host runs targets, workflows and workflow tasks with the
/// same engine as <c>workflow run</c>, in parallel where the graph allows.
/// </summary>
public abstract class PipelineBuild
{
    /// <summary>The Target properties of the class (generated).</summary>
    protected virtual IReadOnlyList<NamedTarget> DeclaredTargets() => [];

    /// <summary>Fills the [Parameter] members (generated).</summary>
    protected virtual void BindParameters(ParameterBinder binder) { }

    /// <summary>The project's generated workflows (generated).</summary>
    protected virtual IReadOnlyList<WorkflowHandle> DeclaredWorkflows() => [];

    /// <summary>The folder of the project the class was compiled in (generated); relative workflow paths resolve against it.</summary>
    protected virtual string? DeclaredProjectDirectory => null;

    // The host reaches the generated hooks through these (the hooks stay protected, so the generated
    // overrides are the same whether or not a project sees this assembly's internals).
    internal IReadOnlyList<NamedTarget> GetDeclaredTargets() => DeclaredTargets();
    internal void BindDeclaredParameters(ParameterBinder binder) => BindParameters(binder);
    internal IReadOnlyList<WorkflowHandle> GetDeclaredWorkflows() => DeclaredWorkflows();

    /// <summary>The build project's folder: the one it was compiled in, else the one above the running assembly that holds a .csproj.</summary>
    public string ProjectDirectory => _projectDirectory ??= FindProjectDirectory();

    private string? _projectDirectory;

    private string FindProjectDirectory()
    {
        if (DeclaredProjectDirectory is { Length: > 0 } declared && Directory.Exists(declared)) return Path.GetFullPath(declared);
        for (var dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
            if (Directory.EnumerateFiles(dir, "*.csproj").Any()) return dir;
        return Directory.GetCurrentDirectory();
    }

    /// <summary>Runs the build: what <c>Main</c> returns. Exit codes: 0 success, 1 a target failed, 2 bad arguments or graph, 130 cancelled.</summary>
    /// <param name="defaults">The targets to run when the command line names none; none shows the help.</param>
    public static async Task<int> Run<T>(string[] args, params Func<T, Target>[] defaults) where T : PipelineBuild, new()
    {
        var build = new T();
        // Traces and metrics of the workflows it runs, over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
        using var telemetry = Pipeline.Telemetry.OtlpTelemetry.StartFromEnvironment("pipeline-build");
        return await new BuildHost(build, Console.Out, Console.Error, Environment.GetEnvironmentVariable)
            .RunAsync(args, defaults.Select(d => d(build)).ToList());
    }
}
