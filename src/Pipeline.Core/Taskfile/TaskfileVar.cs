using Pipeline.Core.Text;
using Pipeline.Core.Yaml;

namespace Pipeline.Core.Taskfile;

public enum TaskfileVarKind { Static, Sh, Ref, Map }

/// <summary>
/// A variable of <c>vars:</c> or <c>env:</c>: a static value, <c>sh:</c> (a command's output),
/// <c>ref:</c> (another variable, keeping its type) or <c>map:</c>. <c>secret: true</c> masks it.
/// </summary>
public sealed record TaskfileVar(LocatedString Name, TaskfileVarKind Kind, LocatedString? Value, bool Secret, SourceSpan Span)
{
    /// <summary>The YAML value itself, so lists, maps, numbers and booleans keep their type (go-task's <c>any</c>).</summary>
    public YamlNode? Node { get; init; }
}
