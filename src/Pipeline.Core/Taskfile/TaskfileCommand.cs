using System.Collections.Generic;
using Pipeline.Core.Text;

namespace Pipeline.Core.Taskfile;

public enum TaskfileCommandKind { Shell, Call }

/// <summary>
/// One entry of <c>cmds:</c>: a shell script (<see cref="Script"/>) or a call of another task
/// (<see cref="Call"/>). <see cref="Deferred"/> marks <c>defer:</c> entries, run last-in-first-out after the others.
/// </summary>
public sealed record TaskfileCommand(
    TaskfileCommandKind Kind,
    LocatedString? Script,
    TaskfileCall? Call,
    bool Deferred,
    bool Silent,
    bool IgnoreError,
    IReadOnlyList<LocatedString> Platforms,
    LocatedString? If,
    SourceSpan Span)
{
    public TaskfileFor? For { get; init; }

    /// <summary>A Go duration (<c>30s</c>, <c>5m</c>); the command is killed and fails with exit code 124 after it.</summary>
    public LocatedString? Timeout { get; init; }

    /// <summary>POSIX options (<c>set: [pipefail]</c>) and bash options (<c>shopt: [globstar]</c>) for this command.</summary>
    public IReadOnlyList<LocatedString> Set { get; init; } = System.Array.Empty<LocatedString>();
    public IReadOnlyList<LocatedString> Shopt { get; init; } = System.Array.Empty<LocatedString>();
}
