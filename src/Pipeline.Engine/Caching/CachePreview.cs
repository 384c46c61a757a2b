using Pipeline.Core.Expressions;
using Pipeline.Core.Model;
using Pipeline.Engine.Planning;
using Pipeline.Engine.Running;

namespace Pipeline.Engine.Caching;

/// <summary>What <c>--dry-run</c> says of a task: taken from the cache, or run (and why), or not cached at all.</summary>
public enum CacheForecast { NotCached, Cached, Runs }

public sealed record CachePrediction(CacheForecast Forecast, string Reason);

/// <summary>
/// Predicts, without running anything, which DAG tasks a run would take from the cache: keys are
/// computed in dependency order with the files as they are now, and a hit's outputs are made
/// visible to the tasks after it, as in a run. A task that reads the outputs of one that runs is
/// predicted to run. The prediction holds unless a task that runs first changes another's inputs.
/// </summary>
public static class CachePreview
{
    public static IReadOnlyDictionary<string, CachePrediction> Predict(ExecutionPlan plan, RunOptions options)
    {
        var predictions = new Dictionary<string, CachePrediction>(StringComparer.Ordinal);
        if (options.Cache is null) return predictions;
        using var run = new RunState(plan, options, "dry-run", 1, () => { });
        foreach (var id in plan.Graph.TopologicalOrder)
        {
            var task = plan.Graph.Task(id);
            if (!task.IsCached())
            {
                predictions[id] = new(CacheForecast.NotCached, WhyNot(task));
                continue;
            }
            var reads = TaskReferences.Of(task).FirstOrDefault(r => predictions.TryGetValue(r, out var p) && p.Forecast != CacheForecast.Cached);
            if (reads is not null)
            {
                predictions[id] = new(CacheForecast.Runs, $"it reads the results of {reads}, which runs");
                continue;
            }
            var env = run.Environment.For(task, null);
            var context = run.Environment.NewContext(env, failed: false, scope: null);
            var hit = run.Cache.Predict(task, context, env, run.Environment.WorkingDirectory(task, context), out var reason);
            if (hit is null)
            {
                predictions[id] = new(CacheForecast.Runs, reason);
                continue;
            }
            run.Record(new TaskResult
            {
                InstanceId = id, TaskId = id, TaskType = TaskTypes.NameOf(task.Type), State = TaskState.Cached, ExitCode = 0, Outputs = hit.Outputs,
            });
            predictions[id] = new(CacheForecast.Cached, $"ran in {DurationText.Format(hit.Duration)} on {hit.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC");
        }
        return predictions;
    }

    private static string WhyNot(TaskDefinition task) =>
        !TaskCaching.CanCache(task.Type) ? $"{TaskTypes.NameOf(task.Type)} tasks are not cached"
        : task.Cache?.Enabled == false ? "\"cache\": false"
        : task.Inputs.Count == 0 ? "no \"inputs\""
        : "not read from a workflow file";
}
