using System.Collections.Generic;
using System.Linq;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Model;

namespace Pipeline.Core.Validation;

/// <summary>Every task id that is referred to exists, is not the task itself, and is owned at most once.</summary>
internal static class ReferenceRules
{
    public static void Check(ValidationContext ctx)
    {
        var bag = ctx.Diagnostics;
        var childOwner = new Dictionary<string, (string Parent, string Role)>(System.StringComparer.Ordinal);
        var invoked = ctx.Workflow.InvokedTaskIds();

        foreach (var task in ctx.Workflow.Tasks)
        {
            var id = task.Id.Value;
            var seen = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (var dep in task.DependsOn)
            {
                if (dep.Id == id)
                    bag.Report(Descriptors.SelfDependency, dep.Span, $"task '{id}' depends on itself", "remove it from its own depends_on");
                else if (!ctx.KnownIds.Contains(dep.Id))
                    bag.Report(Descriptors.UnknownDependency, dep.Span, $"task '{id}' depends on unknown task '{dep.Id}'", ctx.UnknownHint(dep.Id));
                if (!seen.Add(dep.Id))
                    bag.Report(Descriptors.DuplicateDependency, dep.Span, $"task '{id}' lists '{dep.Id}' twice in depends_on", "remove the second one");
            }

            foreach (var (role, r) in task.InvokedTasks())
            {
                if (role == "call") continue; // Taskfile calls: TaskfileRules resolves aliases, namespaces and wildcards
                var isCallback = role is "on_success" or "on_failure";
                if (r.Id == id)
                {
                    bag.Report(Descriptors.SelfDependency, r.Span, $"task '{id}' invokes itself from {role}", "a task cannot be its own callback or child");
                    continue;
                }
                if (!ctx.KnownIds.Contains(r.Id))
                {
                    if (isCallback)
                        bag.Report(Descriptors.UnknownCallback, r.Span, $"task '{id}' has unknown task '{r.Id}' in {role}", ctx.UnknownHint(r.Id));
                    else
                        bag.Report(Descriptors.UnknownChildTask, r.Span, $"task '{id}' has unknown task '{r.Id}' in {role}", ctx.UnknownHint(r.Id));
                    continue;
                }
                // A parallel group's tasks and a loop's template belong to exactly one parent.
                if (role is "tasks" or "task")
                {
                    if (childOwner.TryGetValue(r.Id, out var first) && first.Parent != id)
                        bag.Report(Descriptors.InvokedTwice, r.Span, $"task '{r.Id}' is used by '{first.Parent}' ({first.Role}) and by '{id}' ({role})",
                            "a task can belong to one parallel group or loop; copy it under another id");
                    else childOwner[r.Id] = (id, role);
                }
            }
        }

        // A task that could not be built (an unknown type, say) still has its references checked.
        foreach (var broken in ctx.BrokenReferences)
        {
            foreach (var dep in broken.DependsOn)
                if (dep.Id != broken.Id && !ctx.KnownIds.Contains(dep.Id))
                    bag.Report(Descriptors.UnknownDependency, dep.Span, $"task '{broken.Id}' depends on unknown task '{dep.Id}'", ctx.UnknownHint(dep.Id));
            foreach (var (role, refs) in new[] { ("on_success", broken.OnSuccess), ("on_failure", broken.OnFailure) })
                foreach (var r in refs)
                    if (r.Id != broken.Id && !ctx.KnownIds.Contains(r.Id))
                        bag.Report(Descriptors.UnknownCallback, r.Span, $"task '{broken.Id}' has unknown task '{r.Id}' in {role}", ctx.UnknownHint(r.Id));
        }

        foreach (var r in ctx.Workflow.Rollback)
            if (!ctx.KnownIds.Contains(r.Id))
                bag.Report(Descriptors.UnknownChildTask, r.Span, $"the workflow's rollback lists unknown task '{r.Id}'", ctx.UnknownHint(r.Id));

        // An invoked task does not take part in the DAG, so its depends_on would silently do nothing.
        // Rollback tasks are the exception: their depends_on names the tasks they undo.
        var invokedByTasks = new HashSet<string>(ctx.Workflow.Tasks.SelectMany(t => t.InvokedTasks()).Where(x => x.Role != "call").Select(x => x.Ref.Id), System.StringComparer.Ordinal);
        var rollbackOnly = new HashSet<string>(ctx.Workflow.Rollback.Select(r => r.Id).Where(id => !invokedByTasks.Contains(id)), System.StringComparer.Ordinal);
        foreach (var task in ctx.Workflow.Tasks.Where(t => t.Owner is null && invoked.Contains(t.Id.Value) && !rollbackOnly.Contains(t.Id.Value) && t.DependsOn.Count > 0))
            bag.Report(Descriptors.CallbackWithDependencies, task.DependsOn[0].Span,
                $"task '{task.Id.Value}' runs only when another task invokes it (callback, branch, group or rollback), so its depends_on is ignored",
                "remove depends_on, or stop invoking the task and let it run in the DAG");
    }
}
