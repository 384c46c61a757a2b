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
    SourceSpan Span);
