using System.Text;

namespace Pipeline.Generators.Emitting;

/// <summary>Lines of C# with indentation, '\n' line ends whatever the machine (stable snapshots).</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _text = new();
    private int _depth;

    public CodeWriter Line(string line = "")
    {
        if (line.Length > 0) _text.Append(' ', _depth * 4).Append(line);
        _text.Append('\n');
        return this;
    }

    /// <summary>Writes text that has its own line breaks, each line indented at the current depth.</summary>
    public CodeWriter Block(string text)
    {
        foreach (var line in text.Split('\n')) Line(line);
        return this;
    }

    public CodeWriter Open(string line)
    {
        Line(line).Line("{");
        _depth++;
        return this;
    }

    public CodeWriter Close(string end = "}")
    {
        _depth--;
        return Line(end);
    }

    /// <summary>A /// summary, with the XML characters escaped.</summary>
    public CodeWriter Summary(string text) =>
        Line("/// <summary>" + text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\r", "").Replace("\n", " ") + "</summary>");

    public override string ToString() => _text.ToString();
}
