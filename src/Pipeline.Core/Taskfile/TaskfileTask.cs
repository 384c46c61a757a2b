using System.Collections.Generic;
using Pipeline.Core.Text;

namespace Pipeline.Core.Taskfile;

/// <summary>A task of a Taskfile, written as a string (one command), a list (commands) or a mapping.</summary>
public sealed record TaskfileTask
{
    public required LocatedString Name { get; init; }
    public LocatedString? Desc { get; init; }
    public LocatedString? Summary { get; init; }
    public LocatedString? Label { get; init; }
    public IReadOnlyList<LocatedString> Aliases { get; init; } = System.Array.Empty<LocatedString>();
    public IReadOnlyList<TaskfileCommand> Cmds { get; init; } = System.Array.Empty<TaskfileCommand>();
    public IReadOnlyList<TaskfileCall> Deps { get; init; } = System.Array.Empty<TaskfileCall>();
    public LocatedString? Dir { get; init; }
    public IReadOnlyList<TaskfileVar> Vars { get; init; } = System.Array.Empty<TaskfileVar>();
    public IReadOnlyList<TaskfileVar> Env { get; init; } = System.Array.Empty<TaskfileVar>();
    public IReadOnlyList<LocatedString> Dotenv { get; init; } = System.Array.Empty<LocatedString>();
    public IReadOnlyList<LocatedString> Sources { get; init; } = System.Array.Empty<LocatedString>();
    public IReadOnlyList<LocatedString> Generates { get; init; } = System.Array.Empty<LocatedString>();
    public IReadOnlyList<LocatedString> Status { get; init; } = System.Array.Empty<LocatedString>();
    public IReadOnlyList<TaskfilePrecondition> Preconditions { get; init; } = System.Array.Empty<TaskfilePrecondition>();
    public IReadOnlyList<LocatedString> Platforms { get; init; } = System.Array.Empty<LocatedString>();
    public IReadOnlyList<LocatedString> RequiredVars { get; init; } = System.Array.Empty<LocatedString>();

    /// <summary>Allowed values of required vars (<c>requires: {vars: [{name: ENV, enum: [dev, prod]}]}</c>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> RequiredEnums { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary><c>enum: { ref: .LIST }</c>: the allowed values come from a variable (a list) when the task runs.</summary>
    public IReadOnlyDictionary<string, string> RequiredEnumRefs { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<LocatedString> Set { get; init; } = System.Array.Empty<LocatedString>();
    public IReadOnlyList<LocatedString> Shopt { get; init; } = System.Array.Empty<LocatedString>();
    public LocatedString? If { get; init; }
    public bool Internal { get; init; }
    public bool Silent { get; init; }
    public bool IgnoreError { get; init; }
    public bool Interactive { get; init; }
    public bool Failfast { get; init; }
    public LocatedString? Run { get; init; }
    public LocatedString? Method { get; init; }
    public LocatedString? Prefix { get; init; }
    public IReadOnlyList<LocatedString> Prompt { get; init; } = System.Array.Empty<LocatedString>();
    public SourceSpan Span { get; init; }
}
