using System.Collections.Immutable;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Pipeline.Generators;

namespace Pipeline.Generators.Bench;

/// <summary>
/// What the source generator costs the compiler: a 1,000-task workflow generated from scratch (parse,
/// validate, emit), and the same compilation after an unrelated C# edit (everything cached).
/// </summary>
[MemoryDiagnoser]
public class GeneratorCost
{
    public const int TaskCount = 1000;

    private CSharpCompilation _compilation = null!;
    private AdditionalText _file = null!;
    private GeneratorDriver _warm = null!;
    private CSharpCompilation _edited = null!;

    [GlobalSetup]
    public void Setup()
    {
        _file = new Text("/bench/workflows/big.workflow.json", BigWorkflow());
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.") || Path.GetFileName(p) == "netstandard.dll")
            .Append(typeof(Pipeline.Core.Model.WorkflowDefinition).Assembly.Location)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p));
        _compilation = CSharpCompilation.Create("Bench", [CSharpSyntaxTree.ParseText("class A { }")], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        _warm = Driver().RunGenerators(_compilation);
        _edited = _compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class B { }"));
    }

    [Benchmark(Description = "generate a 1,000-task workflow")]
    public GeneratorDriver Cold() => Driver().RunGenerators(_compilation);

    [Benchmark(Description = "re-run after an unrelated C# edit")]
    public GeneratorDriver Cached() => _warm.RunGenerators(_edited);

    private GeneratorDriver Driver() => CSharpGeneratorDriver.Create([new WorkflowGenerator().AsSourceGenerator()], [_file],
        new CSharpParseOptions(LanguageVersion.Latest), new NoOptions());

    /// <summary>Levels of 20 tasks; each task waits on two of the level before it, some publish outputs.</summary>
    public static string BigWorkflow()
    {
        var json = new StringBuilder("{ \"name\": \"big\", \"environment\": { \"API_URL\": \"https://x\" }, \"tasks\": [\n");
        for (var i = 0; i < TaskCount; i++)
        {
            var deps = i < 20 ? "" : $", \"depends_on\": [\"t{i - 20}\", \"t{i - 20 + (i % 20 == 19 ? 0 : 1)}\"]";
            var outputs = i % 10 == 0 ? ", \"outputs\": [\"version\"]" : "";
            json.Append($"  {{ \"id\": \"t{i}\", \"type\": \"shell\", \"command\": \"echo {i} ${{env.API_URL}}\", \"timeout\": 60{deps}{outputs} }}{(i + 1 < TaskCount ? "," : "")}\n");
        }
        return json.Append("] }").ToString();
    }

    private sealed class Text(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text);
        public override string Path => path;
        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    private sealed class NoOptions : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Empty();
        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => GlobalOptions;
        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => GlobalOptions;

        private sealed class Empty : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value)
            {
                value = key == "build_property.RootNamespace" ? "Bench" : null!;
                return value is not null;
            }
        }
    }
}
