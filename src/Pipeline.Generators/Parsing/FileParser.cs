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
/// second implementation), then turned into the emitter's model. A file that parses but has errors
/// still gets its typed members (with a definition that throws), so the code that names them does
/// not add errors of its own to the file's. Never throws: an unexpected failure becomes WF5004 on
/// that file, and the other files still generate.
/// </summary>
internal static class FileParser
{
    /// <param name="name">The name the project gives a Taskfile (<c>PipelineName</c> metadata), or null for its folder's.</param>
    public static FileResult Parse(string path, SourceText? text, GeneratorOptions options, CancellationToken cancellationToken, string? name = null)
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
            if (read.Workflow is not { } workflow)
                return new FileResult(null, diagnostics.ToEquatableArray(), null);

            var firstError = found.FirstOrDefault(d => d.Severity == Severity.Error);
            var invalid = firstError is null ? null
                : $"{path}({firstError.Span.Line},{firstError.Span.Column}): {firstError.Code}: {firstError.Message}";
            var broken = read.BrokenTaskReferences.Select(b => b.Id).ToList();
            var model = ModelBuilder.Build(workflow, RelativePath(path, options.ProjectDirectory), options, diagnostics, out var key, invalid, broken, name);
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
