using System.Text;

namespace Pipeline.Engine.Processes;

/// <summary>
/// The text of one output stream kept for a task's result (<c>${tasks.x.stdout}</c>): each line and
/// a newline, up to <see cref="ProcessRunner.CaptureLimit"/> characters (the log file has the rest).
/// </summary>
internal sealed class OutputCapture
{
    private readonly StringBuilder _text = new();
    private bool _truncated;

    public void Add(string line)
    {
        lock (_text)
        {
            if (_truncated) return;
            if (_text.Length + line.Length > ProcessRunner.CaptureLimit)
            {
                _text.Append("[... output truncated; the log file has all of it]\n");
                _truncated = true;
                return;
            }
            _text.Append(line).Append('\n');
        }
    }

    public string Text { get { lock (_text) return _text.ToString(); } }
}
