using System.Collections.Generic;
using Pipeline.Core.Text;
using Pipeline.Core.Yaml;

namespace Pipeline.Core.Taskfile;

public enum TaskfileForKind { List, Sources, Generates, Var, Matrix }

/// <summary>
/// <c>for:</c> on a command or a dep: a list, <c>sources</c>, <c>generates</c>,
/// <c>{var: NAME, split: ",", as: X}</c> or <c>{matrix: {OS: [..], ARCH: {ref: .X}}}</c>.
/// </summary>
public sealed record TaskfileFor(
    TaskfileForKind Kind,
    YamlNode? Items,
    LocatedString? Var,
    LocatedString? Split,
    LocatedString? As,
    IReadOnlyList<KeyValuePair<LocatedString, YamlNode>> Matrix,
    SourceSpan Span);
