using System.Text;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Loading;
using Pipeline.Core.Reading;
using Pipeline.Core.Validation;

namespace Pipeline.Core.Tests;

internal static class TestHelpers
{
    public static string RepoRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Pipeline.sln"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("repository root not found");
    }

    public static ReadResult ReadJson(string json, string path = "test.workflow.json") =>
        WorkflowLoader.Read(path, Encoding.UTF8.GetBytes(json), WorkflowFileKind.WorkflowJson);

    public static ReadResult ReadYaml(string yaml, string path = "Taskfile.yml") =>
        WorkflowLoader.Read(path, Encoding.UTF8.GetBytes(yaml), WorkflowFileKind.Taskfile);

    public static IReadOnlyList<Diagnostic> Validate(string json) => WorkflowValidator.Validate(ReadJson(json));

    public static IReadOnlyList<Diagnostic> ValidateYaml(string yaml) => WorkflowValidator.Validate(ReadYaml(yaml));

    /// <summary>The single diagnostic with this code; fails listing all diagnostics otherwise.</summary>
    public static Diagnostic Single(IReadOnlyList<Diagnostic> diagnostics, string code)
    {
        var matches = diagnostics.Where(d => d.Code == code).ToList();
        Assert.True(matches.Count == 1, $"expected one {code}, got {matches.Count}:\n{string.Join("\n", diagnostics)}");
        return matches[0];
    }

    public static void AssertAt(Diagnostic d, int line, int column)
    {
        Assert.True(d.Span.Line == line && d.Span.Column == column, $"expected {d.Code} at ({line},{column}), got {d}");
    }

    /// <summary>A workflow with the given tasks JSON (a list body).</summary>
    public static string Workflow(string tasks, string extra = "") => $$"""
        {
          "name": "test",{{extra}}
          "tasks": [
        {{tasks}}
          ]
        }
        """;
}
