using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Core.Model;
using Pipeline.Engine.Caching;
using Pipeline.Engine.Executors.Sql;
using Pipeline.Engine.Planning;
using Pipeline.Engine.Running;

namespace Pipeline.Cli.Output;

/// <summary><c>workflow run --dry-run</c>: what would run, in which order, and how long it may take; nothing is started.</summary>
public static class PlanPrinter
{
    public static void WriteText(TextWriter output, ExecutionPlan plan, int maxParallel, IReadOnlyList<MigrationPreview.TaskMigrations> migrations, bool fromHistory = false,
        IReadOnlyDictionary<string, CachePrediction>? cache = null)
    {
        var w = plan.Workflow;
        var g = plan.Graph;
        output.WriteLine($"Plan for {w.Name.Value} ({w.Path})");
        output.WriteLine($"  {TextReporter.Plural(g.Nodes.Count, "task")} in {TextReporter.Plural(g.Levels.Count, "level")}, up to {g.MaxWidth} at once; max parallel {maxParallel}");
        for (var i = 0; i < g.Levels.Count; i++)
            output.WriteLine($"  level {i}: {string.Join(", ", g.Levels[i].OrderByDescending(id => plan.RemainingPath[id]).Select(id => Describe(g.Task(id))))}");
        var path = plan.CriticalPath;
        if (path.Count > 0)
            output.WriteLine($"  critical path: {string.Join(" → ", path)} (estimated {DurationText.Format(TimeSpan.FromSeconds(plan.EstimatedSeconds))}, {(fromHistory ? "from the median of recorded runs; tasks never run use their timeout, or 1s" : "from timeouts; tasks without one count 1s")})");
        foreach (var t in w.Tasks)
            foreach (var (role, r) in t.InvokedTasks().Where(x => x.Role != "call"))
                output.WriteLine($"  {r.Id}: runs as {role} of {t.Id.Value}");
        if (w.Rollback.Count > 0)
            output.WriteLine($"  rollback on failure: {string.Join(", ", w.Rollback.Select(r => r.Id))}");
        foreach (var m in migrations) output.WriteLine($"  {m.TaskId}: {Describe(m)}");
        if (cache is not null && cache.Values.Any(p => p.Forecast != CacheForecast.NotCached))
        {
            output.WriteLine($"  cache: {cache.Values.Count(p => p.Forecast == CacheForecast.Cached)} of {cache.Values.Count(p => p.Forecast != CacheForecast.NotCached)} cacheable tasks would be restored"
                + " (judged by the files as they are now: a task that runs or is restored first may change another's inputs)");
            foreach (var id in plan.Graph.TopologicalOrder)
                if (cache.TryGetValue(id, out var p) && p.Forecast != CacheForecast.NotCached)
                    output.WriteLine($"    {id}: {(p.Forecast == CacheForecast.Cached ? "cached" : "would run")} ({p.Reason})");
        }
        output.WriteLine("Nothing was run (--dry-run).");
    }

    public static void WriteJson(TextWriter output, ExecutionPlan plan, int maxParallel, IReadOnlyList<MigrationPreview.TaskMigrations> migrations,
        IReadOnlyDictionary<string, CachePrediction>? cache = null)
    {
        var g = plan.Graph;
        var json = new JsonObject
        {
            ["workflow"] = plan.Workflow.Name.Value,
            ["file"] = plan.Workflow.Path,
            ["max_parallel"] = maxParallel,
            ["levels"] = new JsonArray(g.Levels.Select(l => (JsonNode)new JsonArray(l.Select(id => (JsonNode)id!).ToArray())).ToArray()),
            ["critical_path"] = new JsonArray(plan.CriticalPath.Select(id => (JsonNode)id!).ToArray()),
            ["estimated_seconds"] = plan.EstimatedSeconds,
            ["tasks"] = new JsonArray(g.Nodes.Select(id => (JsonNode)new JsonObject
            {
                ["id"] = id,
                ["type"] = TaskTypes.NameOf(g.Task(id).Type),
                ["depends_on"] = new JsonArray(g.Dependencies[id].Select(d => (JsonNode)d!).ToArray()),
                ["remaining_seconds"] = plan.RemainingPath[id],
                // "cached" or "would_run"; null when the task is not cached at all (or --no-cache).
                ["cache"] = cache is not null && cache.TryGetValue(id, out var p) && p.Forecast != CacheForecast.NotCached
                    ? (p.Forecast == CacheForecast.Cached ? "cached" : "would_run") : null,
                ["cache_reason"] = cache is not null && cache.TryGetValue(id, out var q) ? q.Reason : null,
            }).ToArray()),
            ["migrations"] = new JsonArray(migrations.Select(m => (JsonNode)new JsonObject
            {
                ["task"] = m.TaskId,
                ["folder"] = m.Folder,
                ["database"] = m.Database,
                ["pending"] = new JsonArray(m.Pending.Select(f => (JsonNode)f!).ToArray()),
                ["changed"] = new JsonArray(m.Changed.Select(f => (JsonNode)f!).ToArray()),
                ["problem"] = m.Problem,
            }).ToArray()),
        };
        output.WriteLine(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>A sql task's migrations: what a run would apply, or why that could not be read.</summary>
    private static string Describe(MigrationPreview.TaskMigrations m)
    {
        if (m.Problem is { } problem) return $"migrations: {problem}";
        var text = m.Pending.Count == 0
            ? $"migrations: none pending on {m.Database}"
            : $"migrations: {m.Pending.Count} pending on {m.Database}: {string.Join(", ", m.Pending)}";
        return m.Changed.Count == 0 ? text : text + $"; changed since applied (the run fails unless allow_changed): {string.Join(", ", m.Changed)}";
    }

    private static string Describe(TaskDefinition t)
    {
        var parts = new List<string> { TaskTypes.NameOf(t.Type) };
        if (t.Timeout is { } timeout) parts.Add("timeout " + DurationText.Format(TimeSpan.FromSeconds(timeout.Value)));
        if (t.Retry is { } retry) parts.Add($"{retry.Attempts} attempts");
        if (t.Condition is { } c) parts.Add($"if {c.Value}");
        return $"{t.Id.Value} ({string.Join(", ", parts)})";
    }
}
