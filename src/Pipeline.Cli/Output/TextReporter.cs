using Pipeline.Cli.Commands;
using Pipeline.Core.Diagnostics;

namespace Pipeline.Cli.Output;

/// <summary>
/// Human output: each diagnostic as an MSBuild canonical line (editors and CI turn it into a link),
/// then the source line with the span underlined and the hint; a summary per valid file.
/// </summary>
public static class TextReporter
{
    public static void Write(TextWriter output, IReadOnlyList<FileReport> reports, IReadOnlyList<Diagnostic> general, bool verbose, bool quiet)
    {
        foreach (var d in general) WriteDiagnostic(output, d, null);
        foreach (var report in reports)
        {
            foreach (var d in report.Diagnostics)
            {
                if (d.Severity == Severity.Info && !verbose) continue;
                WriteDiagnostic(output, d, report.Read.Document);
            }
            if (!quiet && report.Valid && report.Read.Workflow is { } workflow && report.Graph is { } graph)
            {
                var estimate = graph.EstimatedSeconds is { } s ? $", at most {FormatDuration(s)} by timeouts" : string.Empty;
                var critical = graph.CriticalPath.Count > 0 ? $"; critical path: {string.Join(" -> ", graph.CriticalPath)}{estimate}" : string.Empty;
                var warnings = report.Warnings > 0 ? $" ({report.Warnings} warning{(report.Warnings == 1 ? "" : "s")})" : string.Empty;
                output.WriteLine($"{report.Path}: valid{warnings}: workflow '{workflow.Name.Value}', {Plural(workflow.Tasks.Count, "task")}, " +
                    $"{Plural(graph.Levels.Count, "parallel level")} (up to {graph.MaxWidth} at once){critical}");
                if (verbose) WriteDetails(output, workflow, graph);
            }
        }
        if (!quiet)
        {
            var errors = reports.Sum(r => r.Errors) + general.Count(d => d.Severity == Severity.Error);
            var warnings = reports.Sum(r => r.Warnings);
            var invalid = reports.Count(r => !r.Valid);
            output.WriteLine($"{Plural(reports.Count, "file")} checked: {reports.Count - invalid} valid, {invalid} invalid; {Plural(errors, "error")}, {Plural(warnings, "warning")}.");
        }
    }

    /// <summary>--verbose: the levels and what each schedule means in words.</summary>
    private static void WriteDetails(TextWriter output, Core.Model.WorkflowDefinition workflow, Core.Graph.WorkflowGraph graph)
    {
        for (var i = 0; i < graph.Levels.Count; i++)
            output.WriteLine($"    level {i}: {string.Join(", ", graph.Levels[i])}");
        foreach (var trigger in workflow.Triggers.OfType<Core.Model.ScheduleTrigger>())
            output.WriteLine($"    schedule \"{trigger.Schedule.Value}\": {Core.Scheduling.CronSchedule.Describe(trigger.Schedule.Value)}{(trigger.Timezone is { } tz ? $" ({tz.Value})" : " (UTC)")}");
    }

    internal static void WriteDiagnostic(TextWriter output, Diagnostic d, Core.Text.SourceDocument? document)
    {
        // On GitHub Actions, an annotation on the file too (the runner reads workflow commands from stdout and stderr).
        if (GitHub.WorkflowCommands.Detected) output.WriteLine(GitHub.WorkflowCommands.Annotation(d));
        output.WriteLine(d.ToCanonicalString());
        if (document is not null && d.Span.Line >= 1 && d.Span.Line <= document.LineCount)
        {
            var line = document.LineText(d.Span.Line);
            if (line.Length <= 200)
            {
                var width = d.Span.EndLine == d.Span.Line ? Math.Max(1, d.Span.EndColumn - d.Span.Column) : Math.Max(1, line.Length - d.Span.Column + 1);
                var prefix = new string(line.Take(d.Span.Column - 1).Select(c => c == '\t' ? '\t' : ' ').ToArray());
                output.WriteLine($"    {line}");
                output.WriteLine($"    {prefix}{new string('^', Math.Min(width, Math.Max(1, line.Length - d.Span.Column + 1)))}");
            }
        }
        if (d.Hint is not null) output.WriteLine($"    hint: {d.Hint}");
    }

    public static string Plural(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";

    public static string FormatDuration(int seconds) =>
        seconds < 120 ? $"{seconds}s" : seconds < 7200 ? $"{seconds / 60}m{(seconds % 60 == 0 ? "" : $"{seconds % 60}s")}" : $"{seconds / 3600}h{(seconds % 3600 / 60 == 0 ? "" : $"{seconds % 3600 / 60}m")}";
}
