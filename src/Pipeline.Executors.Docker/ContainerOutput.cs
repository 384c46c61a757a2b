using System.Text;
using Docker.DotNet;
using Pipeline.Engine.Events;

namespace Pipeline.Executors.Docker;

/// <summary>
/// Reads an attached container's multiplexed stdout and stderr into lines, each stream on its own:
/// frames are not line-aligned, and a UTF-8 character may be split between two of them. Captures
/// each stream's text (capped like a process task's) for the task's result.
/// </summary>
internal sealed class ContainerOutput(Action<OutputStream, string> onLine)
{
    private const int CaptureLimit = 1 << 20;
    private readonly LineSplitter _stdout = new(OutputStream.Stdout);
    private readonly LineSplitter _stderr = new(OutputStream.Stderr);

    public string Stdout => _stdout.Captured;
    public string Stderr => _stderr.Captured;

    /// <summary>Reads until the container closes its output (it exited) or the token fires.</summary>
    public async Task PumpAsync(MultiplexedStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
            if (read.EOF) break;
            var splitter = read.Target == MultiplexedStream.TargetStream.StandardError ? _stderr : _stdout;
            splitter.Add(buffer.AsSpan(0, read.Count), onLine);
        }
        _stdout.Flush(onLine);
        _stderr.Flush(onLine);
    }

    private sealed class LineSplitter(OutputStream stream)
    {
        private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
        private readonly StringBuilder _line = new();
        private readonly StringBuilder _captured = new();
        private char[] _chars = new char[16 * 1024];

        public string Captured => _captured.ToString();

        public void Add(ReadOnlySpan<byte> bytes, Action<OutputStream, string> onLine)
        {
            var needed = _decoder.GetCharCount(bytes, flush: false);
            if (_chars.Length < needed) _chars = new char[needed];
            var count = _decoder.GetChars(bytes, _chars, flush: false);
            foreach (var c in _chars.AsSpan(0, count))
            {
                if (c == '\n') Emit(onLine);
                else _line.Append(c);
            }
        }

        public void Flush(Action<OutputStream, string> onLine)
        {
            if (_line.Length > 0) Emit(onLine);
        }

        private void Emit(Action<OutputStream, string> onLine)
        {
            if (_line.Length > 0 && _line[^1] == '\r') _line.Length--;
            var line = _line.ToString();
            _line.Clear();
            if (_captured.Length + line.Length <= CaptureLimit) _captured.Append(line).Append('\n');
            onLine(stream, line);
        }
    }
}
