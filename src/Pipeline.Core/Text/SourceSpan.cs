using System;

namespace Pipeline.Core.Text;

/// <summary>
/// Where something is in a workflow file: the UTF-16 offset and length, and the 1-based line and
/// column of both ends. Precomputed so that diagnostics can be printed without the document.
/// </summary>
public readonly struct SourceSpan : IEquatable<SourceSpan>
{
    public SourceSpan(string path, int start, int length, int line, int column, int endLine, int endColumn)
    {
        Path = path;
        Start = start;
        Length = length;
        Line = line;
        Column = column;
        EndLine = endLine;
        EndColumn = endColumn;
    }

    public string Path { get; }
    public int Start { get; }
    public int Length { get; }
    public int End => Start + Length;
    public int Line { get; }
    public int Column { get; }
    public int EndLine { get; }
    public int EndColumn { get; }

    /// <summary>True for the default value: a span that points nowhere.</summary>
    public bool IsEmpty => Path is null;

    /// <summary>A span for a whole file when nothing more precise is known.</summary>
    public static SourceSpan FileStart(string path) => new(path, 0, 0, 1, 1, 1, 1);

    public bool Equals(SourceSpan other) =>
        string.Equals(Path, other.Path, StringComparison.Ordinal) && Start == other.Start && Length == other.Length;

    public override bool Equals(object? obj) => obj is SourceSpan other && Equals(other);

    public override int GetHashCode() => ((Path?.GetHashCode() ?? 0) * 397) ^ (Start * 31) ^ Length;

    public override string ToString() => $"{Path}({Line},{Column})";
}
