using Pipeline.Engine.Files;
using Pipeline.Core.Taskfile.Templates;
using Pipeline.Engine.Taskfile.Fingerprint;

namespace Pipeline.Engine.Taskfile;

public sealed partial class TaskfileRunner
{
    /// <summary><c>requires: vars</c>: each must be set (anywhere, even to ""), and within its enum if it has one.</summary>
    private static void CheckRequires(CompiledTask task)
    {
        var missing = task.Entry.Task.RequiredVars.Select(v => v.Value).Where(v => !task.Data.ContainsKey(v)).ToList();
        if (missing.Count > 0) throw new MissingRequiredVarsException(task.Label, missing);
        var enums = task.Entry.Task.RequiredEnums.ToList();
        foreach (var (name, reference) in task.Entry.Task.RequiredEnumRefs)
        {
            object? list;
            try { list = Template.Evaluate(reference, task.Data); }
            catch (TemplateException) { list = null; }
            if (list is not System.Collections.IList items) throw new EnumReferenceException(reference);
            enums.Add(new(name, items.Cast<object?>().Select(i => i is null ? "" : GoValues.Format(i)).ToList()));
        }
        foreach (var (name, allowed) in enums)
        {
            var value = task.Data[name] is { } v ? GoValues.Format(v) : "";
            if (!allowed.Contains(value)) throw new VarNotAllowedException(task.Label, name, value, allowed);
        }
    }

    /// <summary>Each precondition must exit 0; the first that fails prints its message and stops the task.</summary>
    private async Task CheckPreconditionsAsync(CompiledTask task, string instance, CancellationToken ct)
    {
        foreach (var p in task.Entry.Task.Preconditions)
        {
            if (await ConditionHoldsAsync(task, p.Sh.Value, task.Data, ct)) continue;
            var message = p.Message is { } m
                ? TaskfileCompiler.Render(m.Value, task.MaskedData, task.Entry, "precondition msg")
                : p.Span.Equals(p.Sh.Span) ? $"`{p.Sh.Value}` failed" : $"{p.Sh.Value} failed";
            Message(instance, $"task: {message}", verbose: false);
            throw new PreconditionNotMetException();
        }
    }

    /// <summary>
    /// go-task's rule: with <c>status</c> and <c>sources</c> both must pass; with only one, that one; with neither
    /// the task is never up to date. <c>{{.CHECKSUM}}</c> / <c>{{.TIMESTAMP}}</c> are available to status commands.
    /// </summary>
    private async Task<bool> IsUpToDateAsync(CompiledTask task, CancellationToken ct)
    {
        var t = task.Entry.Task;
        if (t.Status.Count == 0 && t.Sources.Count == 0) return false;
        var data = task.Data;
        var sourcesUpToDate = true;
        if (t.Sources.Count > 0)
        {
            await Processes.Posix.MonitorThread.Leave(); // globbing and hashing the sources may take a while
            var method = t.Method?.Value ?? _project.Root.Document.Method?.Value ?? "checksum";
            var sources = FileGlobs.Expand(task.Directory, t.Sources.Select(s => TaskfileCompiler.Render(s.Value, data, task.Entry, "sources")));
            var generates = t.Generates.Select(g => TaskfileCompiler.Render(g.Value, data, task.Entry, "generates")).ToList();
            switch (method)
            {
                case "none":
                    sourcesUpToDate = false;
                    break;
                case "timestamp":
                {
                    sourcesUpToDate = _timestamps.IsUpToDate(task.Name, sources, FileGlobs.Expand(task.Directory, generates), _options.DryRun, out var newest);
                    data = ForLoop.With(data, new Dictionary<string, object?> { ["TIMESTAMP"] = newest.ToString("yyyy-MM-dd HH:mm:ss.fffffff zzz") });
                    break;
                }
                default:
                {
                    sourcesUpToDate = _checksums.IsUpToDate(task.Name, sources, generates, task.Directory, _options.DryRun, out var checksum);
                    data = ForLoop.With(data, new Dictionary<string, object?> { ["CHECKSUM"] = checksum });
                    break;
                }
            }
        }
        if (t.Status.Count == 0) return sourcesUpToDate;
        foreach (var status in t.Status)
            if (!await ConditionHoldsAsync(task, status.Value, data, ct)) return false;
        return sourcesUpToDate;
    }

    /// <summary><c>prompt:</c> asks each question; no, or no terminal to ask on, cancels the task. <c>--yes</c> answers yes.</summary>
    private Task PromptAsync(CompiledTask task)
    {
        if (_options.AssumeYes || _options.DryRun) return Task.CompletedTask;
        foreach (var question in task.Entry.Task.Prompt)
        {
            var text = TaskfileCompiler.Render(question.Value, task.MaskedData, task.Entry, "prompt");
            if (_options.Prompt is not { } ask || !ask(text)) throw new TaskCancelledByUserException(task.Name);
        }
        return Task.CompletedTask;
    }
}
