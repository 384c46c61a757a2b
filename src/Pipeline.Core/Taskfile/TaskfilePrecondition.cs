using Pipeline.Core.Text;

namespace Pipeline.Core.Taskfile;

/// <summary>A shell check that must pass before the task runs; <see cref="Message"/> is shown when it fails.</summary>
public sealed record TaskfilePrecondition(LocatedString Sh, LocatedString? Message, SourceSpan Span);
