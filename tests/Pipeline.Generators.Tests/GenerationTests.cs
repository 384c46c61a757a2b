using System.Reflection;
using Pipeline.Core.Loading;
using Pipeline.Core.Model;
using Pipeline.Core.Typed;

namespace Pipeline.Generators.Tests;

public sealed class GenerationTests
{
    private static string Sample(string relative) => System.IO.File.ReadAllText(Path.Combine(GeneratorHarness.RepoRoot, relative));

    public static TheoryData<string> Samples => ["samples/hello/hello.workflow.json", "samples/deploy/deploy.workflow.json", "tests/Pipeline.Generators.Tests/Inputs/every-type.workflow.json"];

    [Theory, MemberData(nameof(Samples))]
    public void Generated_code_compiles_and_rebuilds_the_definition_the_reader_produced(string sample)
    {
        var file = GeneratorHarness.File("workflows/" + Path.GetFileName(sample), Sample(sample));
        var result = GeneratorHarness.Run(file);
        Assert.Empty(result.CompileErrors);
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        Assert.Single(result.Sources);

        var read = WorkflowLoader.Read(file.Path, System.Text.Encoding.UTF8.GetBytes(Sample(sample)), WorkflowFileKind.WorkflowJson);
        var expected = read.Workflow!;
        var handle = WorkflowOf(result.Load(), expected.Name.Value);
        Assert.Equal(ModelDump.Of(expected), ModelDump.Of(handle.Definition));
        Assert.Equal("workflows/" + Path.GetFileName(sample), handle.Definition!.Path);
        Assert.Equal(expected.Tasks.Select(t => t.Id.Value), handle.Tasks.Select(t => t.Id));
    }

    [Fact]
    public void A_yaml_workflow_is_read_and_typed_exactly_as_the_same_workflow_in_json()
    {
        const string Yaml = "tests/Pipeline.Generators.Tests/Inputs/release.workflow.yml";
        var json = WorkflowLoader.Read("release.workflow.json", System.Text.Encoding.UTF8.GetBytes(Sample("tests/Pipeline.Generators.Tests/Inputs/release.workflow.json")), WorkflowFileKind.WorkflowJson);
        var yaml = WorkflowLoader.Read("release.workflow.yml", System.Text.Encoding.UTF8.GetBytes(Sample(Yaml)), WorkflowFiles.KindOf(Yaml));
        Assert.Empty(yaml.Diagnostics);
        Assert.Equal(ModelDump.Of(json.Workflow!).Replace("release.workflow.json", "FILE"), ModelDump.Of(yaml.Workflow!).Replace("release.workflow.yml", "FILE"));

        var file = GeneratorHarness.File("workflows/release.workflow.yml", Sample(Yaml));
        var result = GeneratorHarness.Run(file);
        Assert.Empty(result.CompileErrors);
        var handle = WorkflowOf(result.Load(), "release");
        Assert.Equal(ModelDump.Of(yaml.Workflow!).Replace("release.workflow.yml", "FILE"), ModelDump.Of(handle.Definition).Replace("workflows/release.workflow.yml", "FILE"));
        Assert.Equal(["build", "test", "publish"], handle.Tasks.Select(t => t.Id));
    }

    [Fact]
    public void The_inputs_cover_every_task_and_trigger_type_a_workflow_file_can_have()
    {
        var read = WorkflowLoader.Read("every-type.workflow.json", System.IO.File.ReadAllBytes(Path.Combine(GeneratorHarness.RepoRoot, "tests/Pipeline.Generators.Tests/Inputs/every-type.workflow.json")), WorkflowFileKind.WorkflowJson);
        var types = read.Workflow!.Tasks.Select(t => t.Type).ToHashSet();
        Assert.Equal(Enum.GetValues<TaskType>().Where(t => t is not (TaskType.Taskfile or TaskType.Code)), types.Order());
        Assert.Equal(Enum.GetValues<TriggerType>(), read.Workflow.Triggers.Select(t => t.Type).Order());
    }

    internal static WorkflowHandle WorkflowOf(Assembly assembly, string workflowName)
    {
        var workflows = assembly.GetType($"{GeneratorHarness.Namespace}.Workflows")!;
        foreach (var nested in workflows.GetNestedTypes())
            if (nested.GetField("Name")?.GetValue(null) as string == workflowName)
                return (WorkflowHandle)nested.GetProperty("Workflow")!.GetValue(null)!;
        throw new InvalidOperationException($"no generated class for {workflowName}");
    }
}
