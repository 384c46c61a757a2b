using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Pipeline.Generators.Tests;

/// <summary>Runs the generator the way the compiler does: a compilation, workflow files as AdditionalFiles, the project's properties.</summary>
internal sealed class GeneratorHarness
{
    public const string ProjectDir = "/repo/build/";
    public const string Namespace = "Acme.Build";

    private static readonly ImmutableArray<MetadataReference> References = LoadReferences();

    public static string RepoRoot { get; } = FindRoot();

    public static InMemoryFile File(string relativePath, string text) => new(ProjectDir + relativePath, text);

    public static CSharpCompilation Compilation(params string[] sources) => CSharpCompilation.Create("Acme.Build",
        sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.Latest), path: $"{ProjectDir}Source{i}.cs")),
        References, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver Driver(params AdditionalText[] files) => CSharpGeneratorDriver.Create(
        [new WorkflowGenerator().AsSourceGenerator()], files, new CSharpParseOptions(LanguageVersion.Latest), new Options(),
        new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs once: the generated sources, the generator's diagnostics and the compiler's on the result.</summary>
    public static Result Run(params AdditionalText[] files) => RunWith(["namespace Acme.Build { public static class Program { } }"], files);

    public static Result RunWith(string[] sources, params AdditionalText[] files)
    {
        var compilation = Compilation(sources);
        var driver = Driver(files).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var run = driver.GetRunResult();
        var generated = run.Results[0].GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        var all = generated.Remove(AllHintName, out var text) ? text : null;
        return new Result(generated, all, run.Diagnostics, output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList(), output);
    }

    public const string AllHintName = "Workflows.All.g.cs";

    /// <param name="Sources">Generated files but Workflows.All, which is in <paramref name="All"/>.</param>
    public sealed record Result(Dictionary<string, string> Sources, string? All, ImmutableArray<Diagnostic> Diagnostics, List<Diagnostic> CompileErrors, Compilation Output)
    {
        /// <summary>Emits the compilation and loads it, to call the generated code.</summary>
        public Assembly Load()
        {
            using var stream = new MemoryStream();
            var emitted = Output.Emit(stream);
            Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
            stream.Position = 0;
            return new AssemblyLoadContext(null, isCollectible: true).LoadFromStream(stream);
        }
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        _ = typeof(Pipeline.Core.Model.WorkflowDefinition);
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return [.. trusted.Where(p => Path.GetFileName(p).StartsWith("System.") || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
            .Append(typeof(Pipeline.Core.Model.WorkflowDefinition).Assembly.Location)
            .Append(typeof(Pipeline.Build.PipelineBuild).Assembly.Location)
            .Append(typeof(Pipeline.Engine.Running.WorkflowEngine).Assembly.Location)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }

    private static string FindRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir, "Pipeline.sln"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("repository root not found");
    }

    public sealed class InMemoryFile(string path, string text) : AdditionalText
    {
        /// <summary>Item metadata (PipelineName) the project sets on the file.</summary>
        public Dictionary<string, string> Metadata { get; } = [];

        public override string Path => path;
        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }

    private sealed class Options : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Global();
        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Global.Empty;
        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
            textFile is InMemoryFile { Metadata: { Count: > 0 } metadata } ? new Metadata(metadata) : Global.Empty;

        /// <summary>A file's item metadata, as MSBuild passes CompilerVisibleItemMetadata.</summary>
        private sealed class Metadata(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value) =>
                values.TryGetValue(key.Replace("build_metadata.AdditionalFiles.", ""), out value!);
        }

        private sealed class Global : AnalyzerConfigOptions
        {
            public static readonly AnalyzerConfigOptions Empty = new EmptyOptions();

            public override bool TryGetValue(string key, out string value)
            {
                value = key switch
                {
                    "build_property.RootNamespace" => Namespace,
                    "build_property.ProjectDir" => ProjectDir,
                    _ => null!,
                };
                return value is not null;
            }
        }

        private sealed class EmptyOptions : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value)
            {
                value = null!;
                return false;
            }
        }
    }
}
