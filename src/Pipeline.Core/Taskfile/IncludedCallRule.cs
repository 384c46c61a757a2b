using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Loading;
using Pipeline.Core.Text;

namespace Pipeline.Core.Taskfile;

/// <summary>
/// WF2010 for calls into included Taskfiles (<c>task: docs:publish</c>, <c>deps: [lib:build]</c>): the
/// included file is read and the task looked up there, as go-task would at run time ("Task
/// "docs:publish" does not exist"). An optional include that is not there makes every call into it
/// an error too. This reads files, so it is an environment check, run by the CLI and the MSBuild
/// task, never by the source generator. Templated paths and names are known only at run time.
/// </summary>
internal static class IncludedCallRule
{
    private const int MaxDepth = 8; // includes within includes; cycles are WF2012's business

    public static void Check(TaskfileDocument doc, string baseDirectory, DiagnosticBag bag)
    {
        if (doc.Includes.Count == 0) return;
        CheckChecksums(doc, baseDirectory, bag);
        var cache = new Dictionary<string, (TaskfileDocument Doc, TaskNames Names)?>(StringComparer.Ordinal);
        var names = new TaskNames(doc); // once: a Taskfile with thousands of calls stays linear
        foreach (var task in doc.Tasks)
        {
            var calls = task.Deps.Select(d => d.Task).Concat(task.Cmds.Where(c => c.Call is not null).Select(c => c.Call!.Task));
            foreach (var call in calls)
            {
                if (call.Value.IndexOf("{{", StringComparison.Ordinal) >= 0) continue;
                var problem = Problem(doc, names, baseDirectory, call.Value.TrimStart(':'), cache, 0);
                if (problem is not null)
                    bag.Report(Descriptors.UnknownCalledTask, call.Span, $"task \"{task.Name.Value}\" calls \"{call.Value}\", {problem.Value.Message}", problem.Value.Hint);
            }
        }
    }

    /// <summary>WF4013: an include pinned with <c>checksum:</c> whose file has another SHA-256 (go-task refuses to run it).</summary>
    private static void CheckChecksums(TaskfileDocument doc, string baseDirectory, DiagnosticBag bag)
    {
        foreach (var include in doc.Includes)
        {
            if (include.Checksum is not { } expected || include.Taskfile.Value.IndexOf("{{", StringComparison.Ordinal) >= 0) continue;
            var path = Path.IsPathRooted(include.Taskfile.Value) ? include.Taskfile.Value : Path.GetFullPath(Path.Combine(baseDirectory, include.Taskfile.Value));
            if (Directory.Exists(path)) path = WorkflowFiles.TaskfileIn(path) ?? path;
            if (!File.Exists(path)) continue;
            string actual;
            using (var sha = System.Security.Cryptography.SHA256.Create())
                actual = string.Concat(sha.ComputeHash(File.ReadAllBytes(path)).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
            if (!string.Equals(actual, expected.Value.Trim(), StringComparison.OrdinalIgnoreCase))
                bag.Report(Descriptors.IncludeChecksum, expected.Span, $"{include.Taskfile.Value} has the SHA-256 {actual}, not the one pinned here",
                    $"if the change is wanted, pin the new one: checksum: {actual}");
        }
    }

    /// <returns>Why the reference cannot run, or null when it resolves (or is not into an include).</returns>
    private static (string Message, string Hint)? Problem(TaskfileDocument doc, TaskNames names, string baseDirectory, string reference,
        Dictionary<string, (TaskfileDocument Doc, TaskNames Names)?> cache, int depth)
    {
        if (names.Resolve(reference, out var external) is not null || !external || depth > MaxDepth) return null;
        var colon = reference.IndexOf(':');
        var ns = colon < 0 ? reference : reference.Substring(0, colon);
        var rest = colon < 0 ? "default" : reference.Substring(colon + 1);
        var include = doc.Includes.FirstOrDefault(i => i.Namespace.Value == ns || i.Aliases.Any(a => a.Value == ns));
        if (include is null || include.Taskfile.Value.IndexOf("{{", StringComparison.Ordinal) >= 0) return null;
        var path = Path.IsPathRooted(include.Taskfile.Value) ? include.Taskfile.Value : Path.GetFullPath(Path.Combine(baseDirectory, include.Taskfile.Value));
        if (Directory.Exists(path)) path = WorkflowFiles.TaskfileIn(path) ?? path;
        if (!File.Exists(path))
            return include.Optional
                ? ($"but the optional include \"{ns}\" ({include.Taskfile.Value}) is not there, so the call fails at run time",
                   $"add {include.Taskfile.Value} with a task \"{rest}\", or remove the call")
                : null; // a required include that is missing is WF4005
        if (!cache.TryGetValue(path, out var loaded))
        {
            var read = WorkflowLoader.Load(path, WorkflowFileKind.Taskfile);
            cache[path] = loaded = read.Diagnostics.Any(d => d.Severity == Severity.Error) || read.Taskfile is null
                ? null : (read.Taskfile, new TaskNames(read.Taskfile));
        }
        if (loaded is not { } found) return null; // its own errors are reported when it is validated
        var (included, local) = found;
        if (local.Resolve(rest, out var deeper) is not null) return null;
        if (deeper) return Problem(included, local, Path.GetDirectoryName(path) ?? baseDirectory, rest, cache, depth + 1);
        var suggestion = Suggest.Closest(rest, local.All);
        return ($"but {include.Taskfile.Value} has no task \"{rest}\"",
            suggestion is not null ? $"did you mean \"{ns}:{suggestion}\"?" : $"its tasks are: {string.Join(", ", local.All.Take(12))}");
    }
}
