using Pipeline.Engine.Files;
using System.Collections;
using Pipeline.Core.Taskfile;
using Pipeline.Core.Taskfile.Templates;
using Pipeline.Engine.Taskfile.Fingerprint;

namespace Pipeline.Engine.Taskfile;

/// <summary>
/// The iterations of a <c>for:</c>: each is the variables it adds (<c>ITEM</c>, or the <c>as:</c> name, and
/// <c>KEY</c> for maps). No <c>for</c> means one iteration that adds nothing.
/// </summary>
internal static class ForLoop
{
    public static List<Dictionary<string, object?>> Iterations(TaskfileFor? loop, CompiledTask task)
    {
        if (loop is null) return [new Dictionary<string, object?>()];
        var name = loop.As?.Value ?? "ITEM";
        var where = "for";
        switch (loop.Kind)
        {
            case TaskfileForKind.List:
            {
                var items = TaskfileCompiler.ValueOf(loop.Items!, task.Data, task.Entry, where) as IList ?? new List<object?>();
                return items.Cast<object?>().Select(i => Item(name, i)).ToList();
            }
            case TaskfileForKind.Sources or TaskfileForKind.Generates:
            {
                var globs = loop.Kind == TaskfileForKind.Sources ? task.Entry.Task.Sources : task.Entry.Task.Generates;
                var files = FileGlobs.Expand(task.Directory, globs.Select(g => TaskfileCompiler.Render(g.Value, task.Data, task.Entry, where)));
                return files.Select(f => Item(name, Path.GetRelativePath(task.Directory, f).Replace('\\', '/'))).ToList();
            }
            case TaskfileForKind.Var:
            {
                task.Data.TryGetValue(loop.Var!.Value, out var value);
                switch (value)
                {
                    case null: return [];
                    case string s:
                        var parts = loop.Split is { } sep
                            ? s.Split(sep.Value)
                            : s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                        return parts.Select(p => Item(name, p)).ToList();
                    case IDictionary<string, object?> map:
                        return map.Keys.OrderBy(k => k, StringComparer.Ordinal)
                            .Select(k => new Dictionary<string, object?>(StringComparer.Ordinal) { [name] = map[k], ["KEY"] = k }).ToList();
                    case IList list:
                        return list.Cast<object?>().Select(i => Item(name, i)).ToList();
                    default:
                        return [Item(name, value)];
                }
            }
            case TaskfileForKind.Matrix:
            {
                var combos = new List<Dictionary<string, object?>> { new(StringComparer.Ordinal) };
                foreach (var (key, node) in loop.Matrix)
                {
                    IList list;
                    if (node is Core.Yaml.YamlMapping m && m.Find("ref") is Core.Yaml.YamlScalar r)
                    {
                        // A reference must give a list, as in go-task (a string is not one value of the matrix).
                        object? referenced;
                        try { referenced = Template.Evaluate(r.Value, task.Data); }
                        catch (TemplateException) { referenced = null; }
                        list = referenced as IList ?? throw new MatrixReferenceException(task.Entry.Scope.TaskfilePath, r.Value);
                    }
                    else
                    {
                        var values = TaskfileCompiler.ValueOf(node, task.Data, task.Entry, where);
                        list = values as IList ?? new List<object?> { values };
                    }
                    combos = combos.SelectMany(c => list.Cast<object?>().Select(v => new Dictionary<string, object?>(c, StringComparer.Ordinal) { [key.Value] = v })).ToList();
                }
                return combos.Select(c => Item(name, c)).ToList();
            }
            default:
                return [new Dictionary<string, object?>()];
        }
    }

    private static Dictionary<string, object?> Item(string name, object? value) => new(StringComparer.Ordinal) { [name] = value };

    /// <summary>The task's variables with one iteration's added.</summary>
    public static IReadOnlyDictionary<string, object?> With(IReadOnlyDictionary<string, object?> data, Dictionary<string, object?> iteration)
    {
        if (iteration.Count == 0) return data;
        var merged = new Dictionary<string, object?>(data, StringComparer.Ordinal);
        foreach (var (k, v) in iteration) merged[k] = v;
        return merged;
    }
}
