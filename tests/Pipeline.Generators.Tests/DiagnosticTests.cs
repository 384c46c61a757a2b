using Microsoft.CodeAnalysis;

namespace Pipeline.Generators.Tests;

/// <summary>The validator's findings, and the generator's own, reported inside the workflow files; a broken file never breaks the others.</summary>
public sealed class DiagnosticTests
{
    private static (int Line, int Column, int EndLine, int EndColumn) Span(Diagnostic d)
    {
        var s = d.Location.GetLineSpan();
        return (s.StartLinePosition.Line + 1, s.StartLinePosition.Character + 1, s.EndLinePosition.Line + 1, s.EndLinePosition.Character + 1);
    }

    [Fact]
    public void A_cycle_is_an_error_at_its_first_edge_in_the_file_and_the_only_error()
    {
        var file = GeneratorHarness.File("workflows/loop.workflow.json", """
            {
              "name": "loop",
              "tasks": [
                { "id": "one", "type": "shell", "command": "true", "depends_on": ["two"] },
                { "id": "two", "type": "shell", "command": "true", "depends_on": ["one"] }
              ]
            }
            """);
        var result = GeneratorHarness.Run(file);
        var cycles = result.Diagnostics.Where(d => d.Id == "WF2004").ToList();
        Assert.Single(cycles);
        Assert.All(cycles, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
        Assert.All(cycles, d => Assert.Equal(file.Path, d.Location.GetLineSpan().Path));
        var line4 = file.GetText().Lines[3].ToString();
        var column = line4.IndexOf("\"two\"", StringComparison.Ordinal) + 1;
        Assert.Equal((4, column, 4, column + 5), Span(cycles[0]));
        Assert.Contains("one -> two -> one", cycles[0].GetMessage());
        Assert.Empty(result.CompileErrors);
    }

    [Fact]
    public void Code_that_names_a_workflow_with_errors_compiles_so_the_only_errors_are_in_the_workflow_file()
    {
        // A cycle, and a task of an unknown type: the file's errors, and no CS0117/CS0103 cascade in the build class.
        var file = GeneratorHarness.File("workflows/deploy.workflow.json", """
            {
              "name": "deploy",
              "tasks": [
                { "id": "build", "type": "shell", "command": "true", "depends_on": ["ship"], "outputs": ["version"] },
                { "id": "ship", "type": "shell", "command": "true", "depends_on": ["build"] },
                { "id": "beam", "type": "teleport", "depends_on": ["nowhere"] }
              ],
              "environment": { "STAGE": "prod" }
            }
            """);
        var user = """
            namespace Acme.Build
            {
                public static class Program
                {
                    public static object[] Uses() => [Workflows.Deploy.Workflow, Workflows.Deploy.Build.Version, Workflows.Deploy.Ship, Workflows.Deploy.Beam, Workflows.Deploy.Env.Stage];
                }
            }
            """;
        var result = GeneratorHarness.RunWith([user], file);
        Assert.Contains(result.Diagnostics, d => d.Id == "WF2004");
        Assert.Contains(result.Diagnostics, d => d.Id == "WF2001" && d.GetMessage().Contains("nowhere"));
        Assert.All(result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error), d => Assert.Equal(file.Path, d.Location.GetLineSpan().Path));
        Assert.Empty(result.CompileErrors);

        // Were its severity lowered and the build run anyway, the definition says why it cannot run.
        var handle = GenerationTests.WorkflowOf(result.Load(), "deploy");
        var e = Assert.Throws<InvalidOperationException>(() => handle.Definition);
        Assert.Contains("the workflow file has errors", e.Message);
        Assert.Contains("WF2", e.Message);
    }

    [Fact]
    public void Malformed_json_yields_a_diagnostic_and_the_other_files_still_generate()
    {
        var broken = GeneratorHarness.File("workflows/broken.workflow.json", "{ \"name\": \"x\", \"tasks\": [ }");
        var good = GeneratorHarness.File("workflows/good.workflow.json", """{ "name": "good", "tasks": [{ "id": "a", "type": "shell", "command": "true" }] }""");
        var result = GeneratorHarness.Run(broken, good);
        var error = Assert.Single(result.Diagnostics, d => d.Id == "WF1001");
        Assert.Equal(broken.Path, error.Location.GetLineSpan().Path);
        Assert.Equal(["workflows_good.workflow.json.g.cs"], result.Sources.Keys);
        Assert.Empty(result.CompileErrors);
    }

    [Fact]
    public void The_seed_example_reports_its_missing_callbacks_where_they_are_written()
    {
        var text = File.ReadAllText(Path.Combine(GeneratorHarness.RepoRoot, "docs/seed-example.workflow.json"));
        var result = GeneratorHarness.Run(GeneratorHarness.File("workflows/seed.workflow.json", text));
        var unknown = result.Diagnostics.Where(d => d.Id == "WF2002").ToList();
        Assert.Equal(3, unknown.Count);
        var lines = text.Split('\n');
        foreach (var d in unknown)
        {
            var (line, column, _, _) = Span(d);
            Assert.StartsWith("\"", lines[line - 1][(column - 1)..]);
        }
        Assert.Contains(unknown, d => d.GetMessage().Contains("'rollback'"));
    }

    [Fact]
    public void Warnings_do_not_stop_generation_and_keep_their_severity()
    {
        var result = GeneratorHarness.Run(GeneratorHarness.File("w.workflow.json",
            """{ "name": "w", "tasks": [{ "id": "a", "type": "shell", "command": "true", "depend_on": ["x"] }] }"""));
        var warning = Assert.Single(result.Diagnostics, d => d.Id == "WF1011");
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Contains("depends_on", warning.GetMessage());
        Assert.Single(result.Sources);
    }

    [Fact]
    public void Ids_that_give_the_same_csharp_name_are_renamed_and_reported()
    {
        var result = GeneratorHarness.Run(GeneratorHarness.File("workflows/deploy.workflow.json", """
            {
              "name": "deploy",
              "tasks": [
                { "id": "pre-build", "type": "shell", "command": "true" },
                { "id": "pre_build", "type": "shell", "command": "true" },
                { "id": "deploy", "type": "shell", "command": "true" },
                { "id": "workflow", "type": "shell", "command": "true" },
                { "id": "_2fa", "type": "shell", "command": "true" }
              ]
            }
            """));
        Assert.Empty(result.CompileErrors);
        var renamed = result.Diagnostics.First(d => d.Id == "WF5001");
        Assert.Equal(5, renamed.Location.GetLineSpan().StartLinePosition.Line + 1); // at the id "pre_build"
        Assert.Equal(13, renamed.Location.GetLineSpan().StartLinePosition.Character + 1);
        var renames = result.Diagnostics.Where(d => d.Id == "WF5001").Select(d => d.GetMessage()).ToList();
        Assert.Equal(3, renames.Count);
        Assert.Contains(renames, m => m.Contains("\"pre_build\"") && m.Contains("PreBuild2"));
        Assert.Contains(renames, m => m.Contains("\"deploy\"") && m.Contains("Deploy2"));
        Assert.Contains(renames, m => m.Contains("\"workflow\"") && m.Contains("Workflow2"));
        var code = Assert.Single(result.Sources).Value;
        foreach (var property in new[] { "PreBuild", "PreBuild2", "Deploy2", "Workflow2", "_2fa" })
            Assert.Contains($"TaskHandle {property} {{ get; }}", code);
    }

    [Fact]
    public void Two_workflows_with_one_name_or_one_class_are_errors_on_the_second()
    {
        var a = GeneratorHarness.File("workflows/a.workflow.json", """{ "name": "my-app", "tasks": [{ "id": "x", "type": "shell", "command": "true" }] }""");
        var b = GeneratorHarness.File("workflows/b.workflow.json", """{ "name": "my-app", "tasks": [{ "id": "x", "type": "shell", "command": "true" }] }""");
        var c = GeneratorHarness.File("workflows/c.workflow.json", """{ "name": "my_app", "tasks": [{ "id": "x", "type": "shell", "command": "true" }] }""");
        var result = GeneratorHarness.Run(a, b, c);
        var duplicates = result.Diagnostics.Where(d => d.Id == "WF5002").OrderBy(d => d.Location.GetLineSpan().Path).ToList();
        Assert.Equal([b.Path, c.Path], duplicates.Select(d => d.Location.GetLineSpan().Path));
        Assert.Contains("already named \"my-app\"", duplicates[0].GetMessage());
        Assert.Contains("both become the class Workflows.MyApp", duplicates[1].GetMessage());
        Assert.Equal((1, 11, 1, 19), Span(duplicates[0]));
        Assert.All(duplicates, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
    }

    [Fact]
    public void A_name_that_gives_no_identifier_is_an_error_and_nothing_is_generated()
    {
        var result = GeneratorHarness.Run(GeneratorHarness.File("x.workflow.json", """{ "name": "---", "tasks": [{ "id": "a", "type": "shell", "command": "true" }] }"""));
        var error = Assert.Single(result.Diagnostics, d => d.Id == "WF5003");
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal((1, 11, 1, 16), Span(error));
        Assert.Empty(result.Sources);
    }

    [Fact]
    public void An_internal_failure_on_one_file_is_WF5004_at_its_start_and_nothing_is_generated_for_it()
    {
        var result = Parsing.FileParser.Parse("/repo/build/workflows/x.workflow.json", new ThrowingText(),
            new Model.GeneratorOptions("Acme", "/repo/build/"), CancellationToken.None);
        Assert.Null(result.Model);
        var failure = Assert.Single(result.Diagnostics);
        Assert.Equal("WF5004", failure.Code);
        Assert.Equal((1, 1), (failure.Line, failure.Column));
        Assert.Contains("the generator failed on this file (InvalidOperationException: unreadable on purpose)", failure.Message);
    }

    /// <summary>Text whose reading throws, standing in for any unexpected failure inside the generator.</summary>
    private sealed class ThrowingText : Microsoft.CodeAnalysis.Text.SourceText
    {
        public override char this[int position] => throw new InvalidOperationException("unreadable on purpose");
        public override System.Text.Encoding? Encoding => null;
        public override int Length => 10;
        public override void CopyTo(int sourceIndex, char[] destination, int destinationIndex, int count) => throw new InvalidOperationException("unreadable on purpose");
    }
}
