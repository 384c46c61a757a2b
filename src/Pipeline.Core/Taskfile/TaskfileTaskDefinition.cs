using System.Collections.Generic;
using Pipeline.Core.Model;
using Pipeline.Core.Text;

namespace Pipeline.Core.Taskfile;

/// <summary>
/// A Taskfile task in the shared model: its <c>deps</c> are the DAG's depends_on, and it keeps the
/// go-task construct so the engine can run cmds, calls, defers, preconditions and up-to-date checks
/// with go-task's meaning.
/// </summary>
public sealed record TaskfileTaskDefinition : TaskDefinition
{
    public override TaskType Type => TaskType.Taskfile;
    public required TaskfileTask Source { get; init; }
    public required TaskfileDocument Document { get; init; }

    public override IEnumerable<(string Role, TaskRef Ref)> InvokedTasks()
    {
        foreach (var r in base.InvokedTasks()) yield return r;
        foreach (var cmd in Source.Cmds)
            if (cmd.Call is { } call) yield return ("call", new TaskRef(call.Task.Value, call.Task.Span));
    }

    /// <summary>Go templates (<c>{{.VAR}}</c>) are checked by the Taskfile rules, not as ${...} expressions.</summary>
    public override IEnumerable<(string Field, LocatedString Value)> InterpolatedFields()
    {
        yield break;
    }
}
