using System.Text;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Loading;
using Pipeline.Core.Validation;

namespace Pipeline.Core.Tests;

/// <summary>
/// Property test: thousands of mutated documents (bytes flipped, deleted, duplicated, truncated, spliced
/// with JSON/YAML punctuation) go through the readers and the validator; only diagnostics may come out,
/// never an exception, and an unreadable document always has at least one error.
/// </summary>
public class FuzzTests
{
    private static readonly string[] Fragments = { "{", "}", "[", "]", ",", ":", "\"", "'", "${", "}}", "{{.", "\n", "\t", "- ", "  ", "null", "-1e999", "\\u12", "/*", "&a", "*a", "<<: ", "\u00e9", "\uD800" };

    [Theory]
    [InlineData("samples/deploy/deploy.workflow.json", WorkflowFileKind.WorkflowJson, 3000)]
    [InlineData("docs/seed-example.workflow.json", WorkflowFileKind.WorkflowJson, 1500)]
    [InlineData("samples/taskfile/Taskfile.yml", WorkflowFileKind.Taskfile, 3000)]
    public void Mutated_documents_yield_only_diagnostics(string file, WorkflowFileKind kind, int iterations)
    {
        var original = File.ReadAllBytes(Path.Combine(TestHelpers.RepoRoot, file));
        var random = new Random(20261124 + iterations); // fixed seed: a failure is reproducible
        for (var i = 0; i < iterations; i++)
        {
            var mutated = Mutate(original, random);
            IReadOnlyList<Diagnostic> diagnostics;
            try
            {
                var read = WorkflowLoader.Read("fuzz", mutated, kind);
                diagnostics = WorkflowValidator.Validate(read);
                if (read.Workflow is not null) _ = Graph.WorkflowGraph.Build(read.Workflow);
                if (read.Workflow is null) Assert.Contains(diagnostics, d => d.Severity == Severity.Error);
            }
            catch (Exception ex)
            {
                Assert.Fail($"iteration {i} threw {ex.GetType().Name}: {ex.Message}\n--- input ---\n{Encoding.UTF8.GetString(mutated)}\n{ex.StackTrace}");
                return;
            }
            Assert.All(diagnostics, d => Assert.True(d.Span.Line >= 1 && d.Span.Column >= 1, $"bad position in {d}"));
        }
    }

    private const string Punctuation = "{}[],:\"'\n\t -*&$";

    private static byte[] Mutate(byte[] input, Random random)
    {
        var bytes = new List<byte>(input);
        var edits = 1 + random.Next(4);
        for (var e = 0; e < edits && bytes.Count > 0; e++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(20))); break;
                case 2: bytes.InsertRange(at, Encoding.UTF8.GetBytes(Fragments[random.Next(Fragments.Length)])); break;
                case 3: bytes.RemoveRange(at, bytes.Count - at); break; // truncate
                case 4:
                    var from = random.Next(bytes.Count);
                    var length = Math.Min(bytes.Count - from, 1 + random.Next(60));
                    bytes.InsertRange(at, bytes.GetRange(from, length)); // duplicate a slice (duplicate keys, tasks)
                    break;
                default: bytes[at] = (byte)Punctuation[random.Next(Punctuation.Length)]; break;
            }
        }
        return bytes.ToArray();
    }
}
