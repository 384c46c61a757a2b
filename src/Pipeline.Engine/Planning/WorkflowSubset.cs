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
        var invoked = workflow.InvokedTaskIds();
        var byId = workflow.Tasks.ToDictionary(t => t.Id.Value, StringComparer.Ordinal);
        var keep = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        foreach (var id in taskIds)
        {
            if (!byId.ContainsKey(id))
                throw new ArgumentException($"workflow '{workflow.Name.Value}' has no task '{id}'");
            if (invoked.Contains(id))
                throw new ArgumentException($"task '{id}' of workflow '{workflow.Name.Value}' runs only when another task invokes it (a callback, branch, group member, loop template or rollback task)");
            pending.Push(id);
        }
        while (pending.Count > 0)
        {
            var id = pending.Pop();
            if (!keep.Add(id)) continue;
            foreach (var dep in byId[id].DependsOn)
                if (byId.ContainsKey(dep.Id)) pending.Push(dep.Id);
            // What a kept task invokes (and what that invokes, and what those depend on) comes with it.
            foreach (var (_, r) in byId[id].InvokedTasks())
                if (byId.ContainsKey(r.Id)) pending.Push(r.Id);
        }
        return workflow with
        {
            Tasks = workflow.Tasks.Where(t => keep.Contains(t.Id.Value)).ToList(),
            Rollback = [],
        };
    }
}
