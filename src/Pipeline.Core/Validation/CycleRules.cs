using System.Collections.Generic;
using System.Linq;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Graph;
using Pipeline.Core.Model;

namespace Pipeline.Core.Validation;

/// <summary>
/// Dependency cycles: one diagnostic per strongly connected component, at the first edge of a
/// shortest cycle through it, with that path (long ones shortened). Once per component, not once
/// per edge: a generated 20,000-task ring would otherwise print 20,000 diagnostics of 20,000 names
/// each. Invocation cycles (callbacks and children that call each other forever) are reported the same way.
/// </summary>
internal static class CycleRules
{
    public static void Check(ValidationContext ctx)
    {
        var tasks = ctx.Workflow.Tasks;
        var ids = tasks.Select(t => t.Id.Value).Distinct().ToList();

        IEnumerable<string> DependsOn(string id) =>
            ctx.TasksById.TryGetValue(id, out var t) ? t.DependsOn.Select(r => r.Id).Where(d => d != id) : Enumerable.Empty<string>();
        Report(ctx, ids, DependsOn, (from, to) => ctx.TasksById[from].DependsOn.First(r => r.Id == to).Span, "dependency cycle", "each task waits for the next",
            "break the cycle: remove this depends_on entry, or another one along the path");

        IEnumerable<string> Invokes(string id) =>
            ctx.TasksById.TryGetValue(id, out var t) ? t.InvokedTasks().Select(x => x.Ref.Id).Where(d => d != id) : Enumerable.Empty<string>();
        Report(ctx, ids, Invokes, (from, to) => ctx.TasksById[from].InvokedTasks().First(x => x.Ref.Id == to).Ref.Span, "invocation cycle",
            "each task invokes the next as a callback or child, forever", "break the cycle: remove this reference, or another one along the path");
    }

    private static void Report(ValidationContext ctx, List<string> ids, System.Func<string, IEnumerable<string>> edges,
        System.Func<string, string, Text.SourceSpan> spanOf, string what, string meaning, string hint)
    {
        foreach (var cycle in Cycles.Find(ids, edges))
        {
            var tasks = cycle.Count - 1;
            var size = tasks > ShownTasks ? $"{tasks} tasks; " : "";
            ctx.Diagnostics.Report(Descriptors.Cycle, spanOf(cycle[0], cycle[1]), $"{what}: {Path(cycle)} ({size}{meaning})", hint);
        }
    }

    /// <summary>Tasks of a cycle named in full; a longer one shows its first ones, "… n more", and the way back.</summary>
    internal const int ShownTasks = 8;

    internal static string Path(IReadOnlyList<string> cycle)
    {
        var tasks = cycle.Count - 1; // the last element closes the path
        if (tasks <= ShownTasks) return string.Join(" -> ", cycle);
        return string.Join(" -> ", cycle.Take(ShownTasks - 1)) + $" -> … {tasks - ShownTasks} more -> {cycle[tasks - 1]} -> {cycle[tasks]}";
    }
}
