using Pipeline.Core.Diagnostics;

namespace Pipeline.Generators.Tests;

public sealed class ReleaseTrackingTests
{
    [Fact]
    public void AnalyzerReleases_lists_every_diagnostic_with_its_category_and_severity()
    {
        var lines = File.ReadAllLines(Path.Combine(GeneratorHarness.RepoRoot, "src/Pipeline.Generators/AnalyzerReleases.Unshipped.md"))
            .Concat(File.ReadAllLines(Path.Combine(GeneratorHarness.RepoRoot, "src/Pipeline.Generators/AnalyzerReleases.Shipped.md")))
            .Where(l => l.StartsWith("WF", StringComparison.Ordinal))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries))
            .ToList();
        var tracked = lines.Select(l => $"{l[0]} {l[1]} {l[2]}").ToList();
        var expected = Descriptors.All.Select(d => $"{d.Code} Workflow.{d.Category} {d.DefaultSeverity}").ToList();
        Assert.Equal(expected, tracked);
    }
}
