namespace Pipeline.Engine.Processes;

/// <summary>
/// How a process task publishes outputs: it appends to the file named by <c>$WORKFLOW_OUTPUT</c>,
/// one <c>name=value</c> per line, or <c>name&lt;&lt;EOF</c> ... <c>EOF</c> for a value with several
/// lines (the format of GitHub Actions' <c>$GITHUB_OUTPUT</c>). Later tasks read
/// <c>${tasks.&lt;id&gt;.outputs.&lt;name&gt;}</c>. A file rather than marker lines on stdout keeps the
/// task's output clean and cannot be forged by a program that merely prints text.
/// </summary>
public static class OutputFile
{
    public const string Variable = "WORKFLOW_OUTPUT";

    public static Dictionary<string, string> Parse(string text, out List<string> errors)
    {
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        errors = [];
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0) continue;
            var heredoc = line.IndexOf("<<", StringComparison.Ordinal);
            var equals = line.IndexOf('=');
            if (heredoc > 0 && (equals < 0 || heredoc < equals))
            {
                var name = line[..heredoc].Trim();
                var delimiter = line[(heredoc + 2)..].Trim();
                var value = new List<string>();
                var closed = false;
                for (i++; i < lines.Length; i++)
                {
                    if (lines[i] == delimiter) { closed = true; break; }
                    value.Add(lines[i]);
                }
                if (!closed) errors.Add($"output '{name}' starts a block with '<<{delimiter}' that is never closed");
                outputs[name] = string.Join("\n", value);
            }
            else if (equals > 0)
                outputs[line[..equals].Trim()] = line[(equals + 1)..];
            else
                errors.Add($"line {i + 1} of the output file is not 'name=value' or 'name<<DELIMITER': {line}");
        }
        return outputs;
    }

    public static Dictionary<string, string> Read(string path, out List<string> errors)
    {
        errors = [];
        if (!File.Exists(path)) return new Dictionary<string, string>(StringComparer.Ordinal);
        return Parse(File.ReadAllText(path), out errors);
    }
}
