using System.Text;

namespace Pipeline.Executors.Docker;

/// <summary>Names Docker accepts (<c>[a-zA-Z0-9][a-zA-Z0-9_.-]*</c>) made from task and workflow names.</summary>
internal static class DockerNames
{
    public static string Clean(string name)
    {
        var clean = new StringBuilder(name.Length);
        foreach (var c in name) clean.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '-');
        var text = clean.ToString().Trim('-', '.', '_');
        return text.Length == 0 ? "task" : text.Length > 60 ? text[..60] : text;
    }
}
