using System.Collections.Generic;
using System.Linq;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Graph;
using Pipeline.Core.Model;

namespace Pipeline.Core.Validation;

/// <summary>
/// Dependency cycles, reported with the whole path at the position of every edge of the cycle, so
/// each place a user could break it is underlined. Invocation cycles (callbacks and children that
/// call each other forever) are reported the same way.
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
            "remove one of these depends_on entries");

        IEnumerable<string> Invokes(string id) =>
            ctx.TasksById.TryGetValue(id, out var t) ? t.InvokedTasks().Select(x => x.Ref.Id).Where(d => d != id) : Enumerable.Empty<string>();
        Report(ctx, ids, Invokes, (from, to) => ctx.TasksById[from].InvokedTasks().First(x => x.Ref.Id == to).Ref.Span, "invocation cycle",
            "each task invokes the next as a callback or child, forever", "remove one of these references");
    }

    private static void Report(ValidationContext ctx, List<string> ids, System.Func<string, IEnumerable<string>> edges,
        System.Func<string, string, Text.SourceSpan> spanOf, string what, string meaning, string hint)
    {
        foreach (var cycle in Cycles.Find(ids, edges))
        {
            var path = string.Join(" -> ", cycle);
            for (var i = 0; i + 1 < cycle.Count; i++)
                ctx.Diagnostics.Report(Descriptors.Cycle, spanOf(cycle[i], cycle[i + 1]), $"{what}: {path} ({meaning})", hint);
        }
    }
}
