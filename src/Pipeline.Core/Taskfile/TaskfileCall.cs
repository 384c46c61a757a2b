using System.Collections.Generic;
using Pipeline.Core.Text;

namespace Pipeline.Core.Taskfile;

/// <summary>
/// A call of another task: an entry of <c>deps:</c>, or a <c>task:</c> command, with the vars it passes.
/// <see cref="Task"/> is null only for a <c>for:</c> dep whose name comes from the loop item.
/// </summary>
public sealed record TaskfileCall(LocatedString Task, IReadOnlyList<TaskfileVar> Vars, bool Silent, TaskfileFor? For, SourceSpan Span)
{
    /// <summary>A Go duration (<c>30s</c>, <c>5m</c>): how long the call may run.</summary>
    public LocatedString? Timeout { get; init; }
}
