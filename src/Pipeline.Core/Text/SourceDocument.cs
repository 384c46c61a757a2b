using System;
using System.Collections.Generic;

namespace Pipeline.Core.Text;

/// <summary>
/// The text of one workflow file and the start offset of each of its lines, so any UTF-16 offset
/// can be turned into a 1-based line and column (the convention of compilers and editors).
/// </summary>
public sealed class SourceDocument
{
    private readonly int[] _lineStarts;

    public SourceDocument(string path, string text)
    {
        Path = path ?? throw new ArgumentNullException(nameof(path));
        Text = text ?? throw new ArgumentNullException(nameof(text));
        _lineStarts = ComputeLineStarts(text);
    }

    /// <summary>The path as the user gave it (relative paths stay relative in diagnostics).</summary>
    public string Path { get; }

    public string Text { get; }

    public int LineCount => _lineStarts.Length;

    /// <summary>A span from <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive).</summary>
    public SourceSpan Span(int start, int end)
    {
        start = Clamp(start);
        end = Math.Max(start, Clamp(end));
        var (line, column) = Position(start);
        var (endLine, endColumn) = Position(end);
        return new SourceSpan(Path, start, end - start, line, column, endLine, endColumn);
    }

    /// <summary>The 1-based line and column of an offset.</summary>
    public (int Line, int Column) Position(int offset)
    {
        offset = Clamp(offset);
        var index = Array.BinarySearch(_lineStarts, offset);
        if (index < 0) index = ~index - 1;
        return (index + 1, offset - _lineStarts[index] + 1);
    }

    /// <summary>The offset of a 1-based line and column (used by readers whose library reports lines).</summary>
    public int Offset(int line, int column)
    {
        if (line < 1) return 0;
        if (line > _lineStarts.Length) return Text.Length;
        return Clamp(_lineStarts[line - 1] + Math.Max(0, column - 1));
    }

    /// <summary>The text of a 1-based line without its line break.</summary>
    public string LineText(int line)
    {
        if (line < 1 || line > _lineStarts.Length) return string.Empty;
        var start = _lineStarts[line - 1];
        var end = line < _lineStarts.Length ? _lineStarts[line] : Text.Length;
        while (end > start && (Text[end - 1] == '\n' || Text[end - 1] == '\r')) end--;
        return Text.Substring(start, end - start);
    }

    private int Clamp(int offset) => offset < 0 ? 0 : offset > Text.Length ? Text.Length : offset;

    private static int[] ComputeLineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n') i++;
                starts.Add(i + 1);
            }
            else if (c == '\n')
            {
                starts.Add(i + 1);
            }
        }
        return starts.ToArray();
    }
}
