using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis.Text;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Loading;
using Pipeline.Core.Text;
using Pipeline.Core.Validation;
using Pipeline.Generators.Model;

namespace Pipeline.Generators.Parsing;

/// <summary>
/// One workflow file to a <see cref="FileResult"/>: read and validated by the shared Core code (no
/// second implementation), then turned into the emitter's model when it has no errors. Never throws:
/// an unexpected failure becomes WF5004 on that file, and the other files still generate.
/// </summary>
internal static class FileParser
{
    public static FileResult Parse(string path, SourceText? text, GeneratorOptions options, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        try
        {
            if (text is null)
            {
                diagnostics.Add(DiagnosticInfos.Make(Descriptors.FileUnreadable, "the compiler could not read the file", SourceSpan.FileStart(path)));
                return new FileResult(null, diagnostics.ToEquatableArray(), null);
            }
            var read = WorkflowLoader.Read(path, Encoding.UTF8.GetBytes(text.ToString()), WorkflowFiles.KindOf(path));
            cancellationToken.ThrowIfCancellationRequested();
            var found = WorkflowValidator.Validate(read);
            diagnostics.AddRange(found.Select(DiagnosticInfos.From));
            if (read.Workflow is not { } workflow || found.Any(d => d.Severity == Severity.Error))
                return new FileResult(null, diagnostics.ToEquatableArray(), null);

            var model = ModelBuilder.Build(workflow, RelativePath(path, options.ProjectDirectory), options, diagnostics, out var key);
            return new FileResult(model, diagnostics.ToEquatableArray(), key);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception e)
        {
            diagnostics.Add(DiagnosticInfos.Make(Descriptors.GeneratorFailure,
                $"the generator failed on this file ({e.GetType().Name}: {e.Message}); please report it", SourceSpan.FileStart(path)));
            return new FileResult(null, diagnostics.ToEquatableArray(), null);
        }
    }

    /// <summary>The path relative to the project directory, with '/' separators (<c>../samples/x.workflow.json</c> when outside it).</summary>
    public static string RelativePath(string path, string projectDirectory)
    {
        var target = path.Replace('\\', '/').Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
        var root = projectDirectory.Replace('\\', '/').Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
        if (root.Length == 0) return target.Length == 0 ? path : target[target.Length - 1];
        var common = 0;
        while (common < root.Length && common < target.Length - 1 && string.Equals(root[common], target[common], StringComparison.Ordinal)) common++;
        var bothRooted = path.StartsWith("/", StringComparison.Ordinal) && projectDirectory.StartsWith("/", StringComparison.Ordinal);
        if (common == 0 && !bothRooted) return target[target.Length - 1]; // another drive: nothing relative to say
        var parts = Enumerable.Repeat("..", root.Length - common).Concat(target.Skip(common));
        return string.Join("/", parts);
    }
}
