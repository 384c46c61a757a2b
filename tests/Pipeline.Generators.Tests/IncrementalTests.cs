using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Pipeline.Generators.Tests;

/// <summary>The pipeline carries value-equal data, so the compiler can skip the generator when nothing it reads changed.</summary>
public sealed class IncrementalTests
{
    private const string Json = """
        {
          "name": "deploy",
          "tasks": [
            { "id": "build", "type": "shell", "command": "make", "outputs": ["version"] },
            { "id": "ship", "type": "shell", "command": "make ship", "depends_on": ["build"] }
          ]
        }
        """;

    private static IEnumerable<IncrementalStepRunReason> Reasons(GeneratorDriver driver, string step) =>
        driver.GetRunResult().Results[0].TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason);

    private static IEnumerable<IncrementalStepRunReason> OutputReasons(GeneratorDriver driver) =>
        driver.GetRunResult().Results[0].TrackedOutputSteps.SelectMany(k => k.Value).SelectMany(s => s.Outputs).Select(o => o.Reason);

    [Fact]
    public void Editing_an_unrelated_csharp_file_reruns_nothing()
    {
        var file = GeneratorHarness.File("workflows/deploy.workflow.json", Json);
        var compilation = GeneratorHarness.Compilation("class A { }");
        var driver = GeneratorHarness.Driver(file).RunGenerators(compilation);
        Assert.All(Reasons(driver, Steps.Parse), r => Assert.Equal(IncrementalStepRunReason.New, r));

        driver = driver.RunGenerators(compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class B { }")));
        Assert.All(Reasons(driver, Steps.Parse), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.All(Reasons(driver, Steps.Model), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.All(Reasons(driver, Steps.CrossFile), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.NotEmpty(OutputReasons(driver));
        Assert.All(OutputReasons(driver), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
    }

    [Fact]
    public void A_layout_edit_of_the_workflow_is_parsed_again_but_emits_nothing_new()
    {
        var file = GeneratorHarness.File("workflows/deploy.workflow.json", Json);
        var compilation = GeneratorHarness.Compilation("class A { }");
        var driver = GeneratorHarness.Driver(file).RunGenerators(compilation);

        var reformatted = GeneratorHarness.File("workflows/deploy.workflow.json", "\n\n" + Json.Replace("\"make\"", "  \"make\""));
        driver = driver.ReplaceAdditionalText(file, reformatted).RunGenerators(compilation);
        Assert.All(Reasons(driver, Steps.Parse), r => Assert.Equal(IncrementalStepRunReason.Modified, r));
        Assert.All(Reasons(driver, Steps.Model), r => Assert.Equal(IncrementalStepRunReason.Unchanged, r));
    }

    [Fact]
    public void A_real_edit_of_the_workflow_changes_the_model()
    {
        var file = GeneratorHarness.File("workflows/deploy.workflow.json", Json);
        var compilation = GeneratorHarness.Compilation("class A { }");
        var driver = GeneratorHarness.Driver(file).RunGenerators(compilation);

        var edited = GeneratorHarness.File("workflows/deploy.workflow.json", Json.Replace("\"ship\", \"type\"", "\"publish\", \"type\""));
        driver = driver.ReplaceAdditionalText(file, edited).RunGenerators(compilation);
        Assert.All(Reasons(driver, Steps.Model), r => Assert.Equal(IncrementalStepRunReason.Modified, r));
        Assert.Contains("Publish", driver.GetRunResult().Results[0].GeneratedSources[0].SourceText.ToString());
    }
}
