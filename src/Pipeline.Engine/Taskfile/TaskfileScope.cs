using Pipeline.Core.Taskfile;

namespace Pipeline.Engine.Taskfile;

/// <summary>
/// Where a task comes from: the root Taskfile or an included one. <see cref="Namespace"/> is the prefix of
/// its tasks' names (<c>""</c> for the root or a flattened include, else <c>"docs:"</c>); references inside
/// the file get it prepended. <see cref="WorkingDirectory"/> is where its tasks run without a <c>dir:</c>:
/// the root directory, as in go-task, unless the include sets <c>dir</c>.
/// </summary>
public sealed record TaskfileScope(
    TaskfileDocument Document,
    string Namespace,
    string TaskfileDirectory,
    string WorkingDirectory,
    IReadOnlyList<TaskfileVar> IncludeVars,
    bool Internal,
    TaskfileScope? Parent)
{
    public string TaskfilePath => Path.GetFullPath(Document.Path);

    /// <summary>From the root down to this scope.</summary>
    public IEnumerable<TaskfileScope> Chain()
    {
        var stack = new Stack<TaskfileScope>();
        for (var s = this; s is not null; s = s.Parent) stack.Push(s);
        return stack;
    }
}

/// <summary>A task under its full name (<c>docs:serve</c>), with the scope it came from.</summary>
public sealed record TaskfileEntry(string Name, TaskfileTask Task, TaskfileScope Scope)
{
    public string LocalName => Task.Name.Value;
    public bool IsInternal => Task.Internal || Scope.Internal;
    public IEnumerable<string> Aliases => Task.Aliases.Select(a => Scope.Namespace + a.Value);
}
