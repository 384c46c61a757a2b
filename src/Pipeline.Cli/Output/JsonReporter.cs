using Pipeline.Cli.Commands;
using Pipeline.Core.Diagnostics;

namespace Pipeline.Cli.Output;

/// <summary>Machine output of <c>validate --format json</c>: one object with every file and diagnostic.</summary>
public static class JsonReporter
{
    public static void Write(TextWriter output, IReadOnlyList<FileReport> reports, IReadOnlyList<Diagnostic> general, bool verbose)
    {
        Dictionary<string, object?> Diag(Diagnostic d) => new()
        {
            ["code"] = d.Code,
            ["severity"] = d.Severity.ToString().ToLowerInvariant(),
            ["message"] = d.Message,
            ["hint"] = d.Hint,
            ["path"] = d.Span.Path,
            ["line"] = d.Span.Line,
            ["column"] = d.Span.Column,
            ["endLine"] = d.Span.EndLine,
            ["endColumn"] = d.Span.EndColumn,
        };
        var result = new Dictionary<string, object?>
        {
            ["valid"] = reports.All(r => r.Valid) && general.All(d => d.Severity != Severity.Error),
            ["errors"] = reports.Sum(r => r.Errors) + general.Count(d => d.Severity == Severity.Error),
            ["warnings"] = reports.Sum(r => r.Warnings),
            ["diagnostics"] = general.Select(Diag).ToList(),
            ["files"] = reports.Select(r => new Dictionary<string, object?>
            {
                ["path"] = r.Path,
                ["valid"] = r.Valid,
                ["workflow"] = r.Read.Workflow?.Name.Value,
                ["tasks"] = r.Read.Workflow?.Tasks.Count,
                ["levels"] = r.Graph?.Levels.Select(l => l.ToList()).ToList(),
                ["criticalPath"] = r.Graph?.CriticalPath.ToList(),
                ["estimatedSeconds"] = r.Graph?.EstimatedSeconds,
                ["diagnostics"] = r.Diagnostics.Where(d => verbose || d.Severity != Severity.Info).Select(Diag).ToList(),
            }).ToList(),
        };
        output.WriteLine(Pipeline.Engine.Json.PipelineJson.Serialize(result, indented: true));
    }
}
