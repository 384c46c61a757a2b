using System.Collections.Generic;
using System.Linq;
using Pipeline.Core.Text;

namespace Pipeline.Core.Model;

public enum WorkflowFormat { WorkflowJson, Taskfile }

/// <summary>What happens when a run starts while another run of the same workflow is active.</summary>
public enum ConcurrencyPolicy { Allow, Skip, Queue, CancelPrevious }

/// <summary>
/// One workflow, whatever file it came from. Immutable; every element remembers where it was read.
/// <see cref="Tasks"/> is flat: inline tasks are hoisted with their <see cref="TaskDefinition.Owner"/> set.
/// </summary>
public sealed record WorkflowDefinition
{
    public required LocatedString Name { get; init; }
    public LocatedString? Version { get; init; }
    public LocatedString? Description { get; init; }
    public LocatedString? Category { get; init; }
    public IReadOnlyList<TriggerDefinition> Triggers { get; init; } = Lists.Empty<TriggerDefinition>();
    public IReadOnlyList<NamedValue> Environment { get; init; } = Lists.Empty<NamedValue>();
    public IReadOnlyList<SecretDeclaration> Secrets { get; init; } = Lists.Empty<SecretDeclaration>();
    public NotificationSettings? Notifications { get; init; }
    public IReadOnlyList<TaskDefinition> Tasks { get; init; } = Lists.Empty<TaskDefinition>();

    /// <summary>Tasks run, in reverse order of completion, when the workflow fails.</summary>
    public IReadOnlyList<TaskRef> Rollback { get; init; } = Lists.Empty<TaskRef>();

    /// <summary>Upper bound of tasks running at once for this workflow (null: the engine's default).</summary>
    public Located<int>? MaxParallel { get; init; }
    public ConcurrencyPolicy Concurrency { get; init; } = ConcurrencyPolicy.Allow;

    /// <summary>
    /// What the concurrency policy is counted per: an expression such as <c>${trigger.payload.ref}</c>,
    /// so runs for different branches do not wait for each other. Null: one group, the workflow.
    /// </summary>
    public LocatedString? ConcurrencyGroup { get; init; }

    public WorkflowFormat Format { get; init; }
    public required string Path { get; init; }
    public SourceSpan Span { get; init; }

    public TaskDefinition? FindTask(string id) => Tasks.FirstOrDefault(t => t.Id.Value == id);

    /// <summary>
    /// Ids of tasks that run only when another task invokes them: callbacks (on_success, on_failure),
    /// branches (then, else), children of parallel and loop tasks, and rollback tasks. The rest form the DAG.
    /// </summary>
    public IReadOnlyCollection<string> InvokedTaskIds()
    {
        var ids = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var t in Tasks)
        {
            if (t.Owner is not null) ids.Add(t.Id.Value);
            foreach (var (role, r) in t.InvokedTasks())
                if (role != "call") ids.Add(r.Id); // a Taskfile `task:` call does not take the task out of the DAG
        }
        foreach (var r in Rollback) ids.Add(r.Id);
        return ids;
    }

    /// <summary>The tasks the scheduler starts by itself: everything not invoked by another task.</summary>
    public IReadOnlyList<TaskDefinition> DagTasks()
    {
        var invoked = InvokedTaskIds();
        return Tasks.Where(t => !invoked.Contains(t.Id.Value)).ToList();
    }
}
