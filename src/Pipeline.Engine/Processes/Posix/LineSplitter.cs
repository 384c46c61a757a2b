using System.Text;
using Pipeline.Engine.Events;

namespace Pipeline.Engine.Processes.Posix;

/// <summary>
/// Turns one output pipe's bytes into lines the way <see cref="StreamReader.ReadLine()"/> does:
/// UTF-8 (a character split between two reads is kept whole), a line ends at <c>\n</c>, <c>\r\n</c>
/// or a lone <c>\r</c>, and text after the last line break is a line of its own at the end.
/// </summary>
internal sealed class LineSplitter(OutputStream stream)
{
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private readonly StringBuilder _line = new();
    private bool _afterCarriageReturn;

    public OutputStream Stream => stream;

    /// <param name="chars">Scratch space of at least <c>bytes.Length + 2</c> characters.</param>
    public void Feed(ReadOnlySpan<byte> bytes, Span<char> chars, Action<OutputStream, string> emit)
    {
        var decoded = _decoder.GetChars(bytes, chars, flush: false);
        Scan(chars[..decoded], emit);
    }

    /// <summary>End of the stream: what is left, without a line break, is the last line.</summary>
    public void Finish(Span<char> chars, Action<OutputStream, string> emit)
    {
        var decoded = _decoder.GetChars([], chars, flush: true);
        Scan(chars[..decoded], emit);
        if (_line.Length > 0) Emit(emit);
    }

    private void Scan(ReadOnlySpan<char> text, Action<OutputStream, string> emit)
    {
        while (!text.IsEmpty)
        {
            if (_afterCarriageReturn)
            {
                _afterCarriageReturn = false;
                if (text[0] == '\n') { text = text[1..]; continue; }
            }
            var end = text.IndexOfAny('\r', '\n');
            if (end < 0)
            {
                _line.Append(text);
                return;
            }
            _line.Append(text[..end]);
            Emit(emit);
            _afterCarriageReturn = text[end] == '\r';
            text = text[(end + 1)..];
        }
    }

    private void Emit(Action<OutputStream, string> emit)
    {
        var line = _line.ToString();
        _line.Clear();
        emit(stream, line);
    }
}
