namespace Pipeline.Generators.Tests;

/// <summary>Build classes: their targets and parameters listed at compile time, and the mistakes that stop that.</summary>
public sealed class BuildClassTests
{
    private const string Build = """
        using Pipeline.Build;
        namespace Acme.Build;
        public enum Mode { Debug, Release }
        partial class Build : PipelineBuild
        {
            [Parameter("Debug or Release")] Mode Configuration = Mode.Debug;
            [Parameter("The API key", Name = "key"), Secret] string? ApiKey { get; set; }
            [Parameter] bool Verbose;
            [Parameter] int? Count;
            [Parameter] string[] Regions = [];
            Target Compile => _ => _.Executes(() => { });
            Target Test => _ => _.DependsOn(Compile).DependsOn(Workflows.Deploy.Ship);
        }
        """;

    [Fact]
    public void A_build_class_gets_its_targets_parameters_and_workflows_listed()
    {
        var result = GeneratorHarness.RunWith([Build], GeneratorHarness.File("workflows/deploy.workflow.json",
            """{ "name": "deploy", "tasks": [{ "id": "ship", "type": "shell", "command": "true" }] }"""));
        Assert.Empty(result.CompileErrors);
        Assert.Empty(result.Diagnostics);
        Assert.NotNull(result.All);
        Snapshots.Match("Build.Build.g", result.Sources["Acme.Build.Build.Build.g.cs"]);
    }

    [Fact]
    public void A_build_class_that_is_not_partial_is_an_error_at_its_name()
    {
        var result = GeneratorHarness.RunWith(["using Pipeline.Build;\nclass Build : PipelineBuild\n{\n    Target A => _ => _;\n}"]);
        var error = Assert.Single(result.Diagnostics, d => d.Id == "WF5005");
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Error, error.Severity);
        Assert.Equal(1, error.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Equal(6, error.Location.GetLineSpan().StartLinePosition.Character);
        Assert.Empty(result.Sources);
    }

    [Fact]
    public void Parameters_that_cannot_be_set_or_converted_are_errors()
    {
        var result = GeneratorHarness.RunWith(["""
            using Pipeline.Build;
            partial class Build : PipelineBuild
            {
                [Parameter] readonly string Frozen = "";
                [Parameter] string Getter => "";
                [Parameter] System.DateTime Since;
            }
            """]);
        var notWritable = result.Diagnostics.Where(d => d.Id == "WF5006").Select(d => d.Location.GetLineSpan().StartLinePosition).ToList();
        Assert.Equal([(3, 32), (4, 23)], notWritable.Select(p => (p.Line, p.Character)));   // Frozen, Getter
        var unsupported = Assert.Single(result.Diagnostics, d => d.Id == "WF5007");
        Assert.Contains("System.DateTime", unsupported.GetMessage());
        Assert.Equal((5, 32), (unsupported.Location.GetLineSpan().StartLinePosition.Line, unsupported.Location.GetLineSpan().StartLinePosition.Character));
        Assert.Empty(result.Sources);
    }
}
