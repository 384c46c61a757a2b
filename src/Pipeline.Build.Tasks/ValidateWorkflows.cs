using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Build.Framework;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Loading;
using Pipeline.Core.Validation;

namespace Pipeline.Build.Tasks;

/// <summary>
/// Validates workflow files at build time and logs each finding in MSBuild's canonical form
/// (<c>workflows/deploy.workflow.json(12,7): error WF2001: ...</c>), which the IDE's error list and
/// CI log parsers pick up. Besides the shared validator it runs the checks a source generator must
/// not: scripts exist and are executable, interpreters and Docker are on PATH, included Taskfiles
/// exist (WF4xxx). Those depend on the machine, so they are warnings here: a build server without
/// Docker still builds.
/// </summary>
public sealed class ValidateWorkflows : Microsoft.Build.Utilities.Task
{
    /// <summary>The workflow files (<c>*.workflow.json</c>, <c>Taskfile.yml</c>).</summary>
    [Required]
    public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>
    /// Also report what the validator finds in the file itself (WF1xxx-WF3xxx). False when the
    /// source generator runs in the same build: it reports those inside the compiler.
    /// </summary>
    public bool ReportModelDiagnostics { get; set; } = true;

    /// <summary>Run the machine checks (WF4xxx).</summary>
    public bool CheckEnvironment { get; set; } = true;

    public override bool Execute()
    {
        foreach (var item in Files)
        {
            var path = item.GetMetadata("FullPath");
            var read = WorkflowLoader.Load(path);
            var found = new List<Diagnostic>();
            var model = WorkflowValidator.Validate(read);
            if (ReportModelDiagnostics) found.AddRange(model);
            // A file the reader could not make sense of has nothing to check on the machine.
            if (CheckEnvironment && !model.Any(d => d.Severity == Severity.Error && d.Code.StartsWith("WF1", StringComparison.Ordinal)))
                found.AddRange(EnvironmentChecks.Check(read).Select(d => d.Severity == Severity.Error ? d.WithSeverity(Severity.Warning) : d));
            foreach (var d in found) Report(item, path, d);
        }
        return !Log.HasLoggedErrors;
    }

    private void Report(ITaskItem item, string fullPath, Diagnostic d)
    {
        // The item's own spelling (project-relative) for its file; full paths for anything else (an include).
        var file = string.Equals(d.Span.Path, fullPath, StringComparison.Ordinal) || d.Span.IsEmpty ? item.ItemSpec : d.Span.Path;
        var message = d.Hint is { Length: > 0 } hint ? $"{d.Message} ({hint})" : d.Message;
        int line = d.Span.Line, column = d.Span.Column, endLine = d.Span.EndLine, endColumn = d.Span.EndColumn;
        switch (d.Severity)
        {
            case Severity.Error:
                Log.LogError(null, d.Code, null, file, line, column, endLine, endColumn, "{0}", message);
                break;
            case Severity.Warning:
                Log.LogWarning(null, d.Code, null, file, line, column, endLine, endColumn, "{0}", message);
                break;
            default:
                Log.LogMessage(null, d.Code, null, file, line, column, endLine, endColumn, MessageImportance.Low, "{0}", message);
                break;
        }
    }
}
