using System.Collections.Generic;
using Pipeline.Core.Text;

namespace Pipeline.Core.Model;

/// <summary>A value with the span it was read from.</summary>
public readonly record struct Located<T>(T Value, SourceSpan Span);

/// <summary>A reference to a task by id (in depends_on, on_success, then, ...), with its position for diagnostics.</summary>
public sealed record TaskRef(string Id, SourceSpan Span)
{
    public override string ToString() => Id;
}

/// <summary>A name = value pair (environment variables, headers, SQL parameters). Values may contain ${...}.</summary>
public sealed record NamedValue(LocatedString Name, LocatedString Value);

/// <summary>A declared secret: its value comes from the process environment (variable <see cref="From"/>, default the name) and is masked everywhere.</summary>
public sealed record SecretDeclaration(LocatedString Name, string? Description, string From, SourceSpan Span);

/// <summary>A named output a task promises to publish (for typed access and for validating ${tasks.x.outputs.y}).</summary>
public sealed record OutputDeclaration(LocatedString Name, string? Description);

public enum Backoff { Fixed, Exponential }

/// <summary>How a failed task is retried. Delays in milliseconds, as in the seed.</summary>
public sealed record RetryPolicy(int Attempts, int DelayMs, Backoff Backoff, int? MaxDelayMs, SourceSpan Span)
{
    public const int DefaultDelayMs = 1000;
}

/// <summary>Ordered, read-only helpers for lists in the model.</summary>
internal static class Lists
{
    public static IReadOnlyList<T> Empty<T>() => System.Array.Empty<T>();
}
