using Pipeline.Core.Diagnostics;
using Pipeline.Core.Graph;
using Pipeline.Core.Reading;

namespace Pipeline.Cli.Commands;

/// <summary>The outcome of validating one file: its diagnostics (after configuration) and, when valid, its graph.</summary>
public sealed record FileReport(string Path, ReadResult Read, IReadOnlyList<Diagnostic> Diagnostics, WorkflowGraph? Graph)
{
    public bool Valid => Diagnostics.All(d => d.Severity != Severity.Error);
    public int Errors => Diagnostics.Count(d => d.Severity == Severity.Error);
    public int Warnings => Diagnostics.Count(d => d.Severity == Severity.Warning);
}
