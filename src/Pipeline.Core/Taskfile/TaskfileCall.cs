using System.Collections.Generic;
using Pipeline.Core.Text;

namespace Pipeline.Core.Taskfile;

/// <summary>A call of another task: an entry of <c>deps:</c>, or a <c>task:</c> command, with the vars it passes.</summary>
public sealed record TaskfileCall(LocatedString Task, IReadOnlyList<TaskfileVar> Vars, bool Silent, LocatedString? For, SourceSpan Span);
