using System;

namespace Pipeline.Core.Text;

/// <summary>
/// A string value read from a workflow file, with the span of its token and a map from each
/// character of the value to its offset in the file, so that a diagnostic about part of the value
/// (a bad token inside an expression) can be placed exactly even when the JSON string had escapes.
/// </summary>
public sealed class LocatedString : IEquatable<LocatedString>
{
    private readonly SourceDocument? _document;
    private readonly int _contentStart;
    private readonly int[]? _offsets;

    public LocatedString(string value, SourceSpan span, SourceDocument? document = null, int contentStart = -1, int[]? offsets = null)
    {
        Value = value ?? throw new ArgumentNullException(nameof(value));
        Span = span;
        _document = document;
        _contentStart = contentStart < 0 ? span.Start : contentStart;
        _offsets = offsets;
    }

    public string Value { get; }

    /// <summary>The span of the whole token (including quotes for a JSON string).</summary>
    public SourceSpan Span { get; }

    /// <summary>
    /// The span of the characters <paramref name="start"/>..<paramref name="start"/>+<paramref name="length"/>
    /// of <see cref="Value"/>. Falls back to the token's span when the file position cannot be known
    /// (a folded YAML block, a value made by a converter).
    /// </summary>
    public SourceSpan SpanOf(int start, int length)
    {
        if (_document is null) return Span;
        start = Math.Max(0, Math.Min(start, Value.Length));
        var end = Math.Max(start, Math.Min(start + length, Value.Length));
        return _document.Span(FileOffset(start), end > start ? FileOffset(end - 1) + 1 : FileOffset(start));
    }

    private int FileOffset(int index)
    {
        if (_offsets is null) return _contentStart + index;
        if (index < _offsets.Length) return _offsets[index];
        return _offsets.Length == 0 ? _contentStart : _offsets[_offsets.Length - 1] + 1;
    }

    /// <summary>A value made by code (a converter, a default) with the span of what it came from.</summary>
    public static LocatedString Synthetic(string value, SourceSpan span) => new(value, span);

    public bool Equals(LocatedString? other) => other is not null && Value == other.Value && Span.Equals(other.Span);
    public override bool Equals(object? obj) => Equals(obj as LocatedString);
    public override int GetHashCode() => Value.GetHashCode();
    public override string ToString() => Value;

    public static implicit operator string(LocatedString located) => located.Value;
}
