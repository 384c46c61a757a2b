using Pipeline.Core.Model;

namespace Pipeline.Engine.Planning;

/// <summary>
/// A workflow narrowed to some of its tasks and everything they depend on, for "run this task"
/// (<c>dotnet run --project build -- deploy:build</c>). A task that runs only when invoked (a
/// callback, branch, group member or loop template) belongs to the subset only with its invoker:
/// kept on its own it would have no invoker left and run as a root of the DAG. The workflow's
/// <c>rollback</c> undoes a whole run, so a subset has none.
/// </summary>
public static class WorkflowSubset
{
    /// <exception cref="ArgumentException">A task is unknown, or runs only when another task invokes it.</exception>
    public static WorkflowDefinition For(WorkflowDefinition workflow, IEnumerable<string> taskIds)
    {
        var byId = workflow.Tasks.ToDictionary(t => t.Id.Value, StringComparer.Ordinal);
        var keep = Closure(byId, Selectable(workflow, byId, taskIds), withDependencies: true);
        return workflow with
        {
            Tasks = workflow.Tasks.Where(t => keep.Contains(t.Id.Value)).ToList(),
            Rollback = [],
        };
    }

    /// <summary>
    /// What a kept task waits for once the tasks between are left out: its kept dependencies, and the kept
    /// tasks behind a left-out one (a → b → c with only a and c kept still runs a before c).
    /// </summary>
    private static List<TaskRef> KeptAncestors(TaskDefinition task, Dictionary<string, TaskDefinition> byId, HashSet<string> keep)
    {
        var result = new List<TaskRef>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<TaskRef>(task.DependsOn.Reverse());
        while (pending.Count > 0)
        {
            var dep = pending.Pop();
            if (!seen.Add(dep.Id) || !byId.TryGetValue(dep.Id, out var target)) continue;
            if (keep.Contains(dep.Id)) result.Add(dep);
            else foreach (var further in target.DependsOn.Reverse()) pending.Push(further);
        }
        return result;
    }

    /// <summary>
    /// Exactly the named tasks (and what they invoke), for <c>workflow run --only</c>: each a job of a CI
    /// system whose earlier jobs ran the tasks they depend on. Dependencies outside the selection are taken
    /// as done and dropped. A selected task that reads another task's outputs or status through an
    /// expression needs that task in the same run, so leaving it out is refused.
    /// </summary>
    /// <exception cref="ArgumentException">A task is unknown, runs only when invoked, or reads a task left out.</exception>
    public static WorkflowDefinition Only(WorkflowDefinition workflow, IEnumerable<string> taskIds)
    {
        var byId = workflow.Tasks.ToDictionary(t => t.Id.Value, StringComparer.Ordinal);
        var keep = Closure(byId, Selectable(workflow, byId, taskIds), withDependencies: false);
        foreach (var id in keep)
        {
            var missing = Pipeline.Core.Expressions.TaskReferences.Of(byId[id]).Where(r => byId.ContainsKey(r) && !keep.Contains(r)).ToList();
            // failure(), always(), … look at how the dependencies ended, which a run without them cannot know.
            if (byId[id].Condition is { } condition && Pipeline.Core.Expressions.Parser.ParseStandalone(condition.Value).CallsStatusFunction)
            {
                var deps = byId[id].DependsOn.Select(d => d.Id).Where(d => !keep.Contains(d)).ToList();
                if (deps.Count > 0)
                    throw new ArgumentException($"task '{id}' has a condition on how its dependencies ended ({condition.Value}), and --only leaves out {string.Join(", ", deps.Select(d => $"'{d}'"))}; select them together (--only {string.Join(",", new[] { id }.Concat(deps))})");
            }
            if (missing.Count > 0)
                throw new ArgumentException($"task '{id}' reads the result of {string.Join(", ", missing.Select(m => $"'{m}'"))} through ${{tasks.…}}, which --only leaves out; select them together (--only {string.Join(",", new[] { id }.Concat(missing))})");
        }
        return workflow with
        {
            Tasks = workflow.Tasks.Where(t => keep.Contains(t.Id.Value))
                .Select(t => t with { DependsOn = KeptAncestors(t, byId, keep) })
                .ToList(),
            Rollback = [],
        };
    }

    /// <summary>
    /// The selected tasks and what they invoke (and what that invokes), and with
    /// <paramref name="withDependencies"/> what all of those depend on.
    /// </summary>
    private static HashSet<string> Closure(Dictionary<string, TaskDefinition> byId, IEnumerable<string> selected, bool withDependencies)
    {
        var keep = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(selected);
        while (pending.Count > 0)
        {
            var id = pending.Pop();
            if (!keep.Add(id)) continue;
            if (withDependencies)
                foreach (var dep in byId[id].DependsOn)
                    if (byId.ContainsKey(dep.Id)) pending.Push(dep.Id);
            foreach (var (_, r) in byId[id].InvokedTasks())
                if (byId.ContainsKey(r.Id)) pending.Push(r.Id);
        }
        return keep;
    }

    /// <summary>The ids asked for, each checked: a task of the workflow, and one the DAG starts by itself.</summary>
    private static List<string> Selectable(WorkflowDefinition workflow, Dictionary<string, TaskDefinition> byId, IEnumerable<string> taskIds)
    {
        var invoked = workflow.InvokedTaskIds();
        var ids = new List<string>();
        foreach (var id in taskIds)
        {
            if (!byId.ContainsKey(id))
                throw new ArgumentException($"workflow '{workflow.Name.Value}' has no task '{id}'{(Pipeline.Core.Suggest.Closest(id, byId.Keys) is { } near ? $"; did you mean '{near}'?" : "")}");
            if (invoked.Contains(id))
                throw new ArgumentException($"task '{id}' of workflow '{workflow.Name.Value}' runs only when another task invokes it (a callback, branch, group member, loop template or rollback task); select what invokes it");
            ids.Add(id);
        }
        return ids;
    }
}
