using System.Collections.Generic;
using Pipeline.Core.Text;

namespace Pipeline.Core.Taskfile;

/// <summary>A go-task Taskfile (version 3): the top-level keys, in declaration order.</summary>
public sealed record TaskfileDocument
{
    public required LocatedString Version { get; init; }
    public IReadOnlyList<TaskfileVar> Vars { get; init; } = System.Array.Empty<TaskfileVar>();
    public IReadOnlyList<TaskfileVar> Env { get; init; } = System.Array.Empty<TaskfileVar>();
    public IReadOnlyList<LocatedString> Dotenv { get; init; } = System.Array.Empty<LocatedString>();
    public IReadOnlyList<TaskfileInclude> Includes { get; init; } = System.Array.Empty<TaskfileInclude>();
    public IReadOnlyList<TaskfileTask> Tasks { get; init; } = System.Array.Empty<TaskfileTask>();
    public bool Silent { get; init; }
    public LocatedString? Output { get; init; }
    public LocatedString? Method { get; init; }
    public LocatedString? Run { get; init; }
    public LocatedString? Interval { get; init; }
    public IReadOnlyList<LocatedString> Set { get; init; } = System.Array.Empty<LocatedString>();
    public IReadOnlyList<LocatedString> Shopt { get; init; } = System.Array.Empty<LocatedString>();
    public required string Path { get; init; }
    public SourceSpan Span { get; init; }
}
