using System.Text;
using Pipeline.Core.Model;

namespace Pipeline.Cli.Output;

/// <summary>Renders a workflow's graph. Node names are generated (n0, n1, ...) because task ids may hold '-'.</summary>
public static class GraphWriter
{
    public static string Mermaid(WorkflowDefinition w)
    {
        var ids = NodeIds(w);
        var sb = new StringBuilder("flowchart TD\n");
        foreach (var t in w.Tasks)
            sb.Append($"    {ids[t.Id.Value]}[\"{Escape(t.Id.Value)}<br/><small>{TaskTypes.NameOf(t.Type)}</small>\"]\n");
        foreach (var (from, to, role) in Edges(w))
            sb.Append(role is null ? $"    {ids[from]} --> {ids[to]}\n" : $"    {ids[from]} -. {role} .-> {ids[to]}\n");
        return sb.ToString();
    }

    public static string Dot(WorkflowDefinition w)
    {
        var ids = NodeIds(w);
        var sb = new StringBuilder($"digraph \"{Escape(w.Name.Value)}\" {{\n    rankdir=LR;\n    node [shape=box, style=rounded];\n");
        foreach (var t in w.Tasks)
            sb.Append($"    {ids[t.Id.Value]} [label=\"{Escape(t.Id.Value)}\\n{TaskTypes.NameOf(t.Type)}\"];\n");
        foreach (var (from, to, role) in Edges(w))
            sb.Append(role is null ? $"    {ids[from]} -> {ids[to]};\n" : $"    {ids[from]} -> {ids[to]} [style=dashed, label=\"{role}\"];\n");
        sb.Append("}\n");
        return sb.ToString();
    }

    /// <summary>depends_on edges (role null) from dependency to dependent, then invocation edges.</summary>
    private static IEnumerable<(string From, string To, string? Role)> Edges(WorkflowDefinition w)
    {
        var known = new HashSet<string>(w.Tasks.Select(t => t.Id.Value), StringComparer.Ordinal);
        foreach (var t in w.Tasks)
            foreach (var d in t.DependsOn.Where(d => known.Contains(d.Id)))
                yield return (d.Id, t.Id.Value, w.Rollback.Any(r => r.Id == t.Id.Value) ? "undoes" : null);
        foreach (var t in w.Tasks)
            foreach (var (role, r) in t.InvokedTasks().Where(x => known.Contains(x.Ref.Id)))
                yield return (t.Id.Value, r.Id, role);
    }

    private static Dictionary<string, string> NodeIds(WorkflowDefinition w)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in w.Tasks) ids.TryAdd(t.Id.Value, "n" + ids.Count);
        return ids;
    }

    private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
