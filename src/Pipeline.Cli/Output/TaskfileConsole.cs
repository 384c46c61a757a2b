using Pipeline.Engine.Events;

namespace Pipeline.Cli.Output;

/// <summary>
/// go-task's console output for a Taskfile run: command echoes (<c>task: [build] go build</c>) and other
/// engine messages on stderr, the commands' own stdout and stderr passed through as they come. With
/// <c>output: prefixed</c> each line is prefixed with <c>[task]</c>; with <c>output: group</c> a task's lines
/// are held and printed together when it finishes.
/// </summary>
public sealed class TaskfileConsole(TextWriter stdout, TextWriter stderr, string mode, bool verbose) : IRunObserver
{
    private readonly Dictionary<string, string> _prefixes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(bool Error, string Line)>> _groups = new(StringComparer.Ordinal);

    public void OnEvent(RunEvent e)
    {
        switch (e)
        {
            case TaskStarted s:
                _prefixes[s.InstanceId] = s.DisplayName;
                break;
            case TaskMessage m when !m.Verbose || verbose:
                Write(m.InstanceId, true, m.Text, prefixed: false);
                break;
            case TaskOutput o:
                Write(o.InstanceId, o.Stream == OutputStream.Stderr, o.Line, prefixed: mode == "prefixed");
                break;
            case TaskFinished f when _groups.Remove(f.Result.InstanceId, out var lines):
                foreach (var (error, line) in lines) (error ? stderr : stdout).WriteLine(line);
                break;
        }
    }

    private void Write(string instance, bool error, string line, bool prefixed)
    {
        if (prefixed) line = $"[{(_prefixes.TryGetValue(instance, out var p) ? p : instance)}] {line}";
        if (mode == "group" && _prefixes.ContainsKey(instance))
        {
            if (!_groups.TryGetValue(instance, out var lines)) _groups[instance] = lines = [];
            lines.Add((error, line));
            return;
        }
        (error ? stderr : stdout).WriteLine(line);
    }
}
