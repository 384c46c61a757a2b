using System.Collections.Generic;
using Pipeline.Core.Text;

namespace Pipeline.Core.Taskfile;

/// <summary>An entry of <c>includes:</c>; its tasks are named <c>namespace:task</c> unless <see cref="Flatten"/>.</summary>
public sealed record TaskfileInclude(
    LocatedString Namespace,
    LocatedString Taskfile,
    LocatedString? Dir,
    bool Optional,
    bool Internal,
    bool Flatten,
    IReadOnlyList<LocatedString> Aliases,
    IReadOnlyList<LocatedString> Excludes,
    IReadOnlyList<TaskfileVar> Vars,
    SourceSpan Span)
{
    /// <summary><c>checksum:</c> the SHA-256 (hex) the included file must have; a different file is refused.</summary>
    public LocatedString? Checksum { get; init; }
}
