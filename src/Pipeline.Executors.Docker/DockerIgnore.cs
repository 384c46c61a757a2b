using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.Executors.Docker;

/// <summary>
/// A build context's <c>.dockerignore</c>, read as Docker reads it: one pattern per line relative to
/// the context (<c>#</c> comments, <c>*</c> and <c>?</c> within a path segment, <c>**</c> across
/// segments), <c>!pattern</c> re-includes, the last matching line wins, and a pattern that matches a
/// folder matches everything in it. The Dockerfile and .dockerignore are always sent, as Docker does.
/// </summary>
internal sealed class DockerIgnore
{
    private readonly List<(Regex Pattern, bool Include)> _rules = [];

    public static DockerIgnore Read(string context)
    {
        var ignore = new DockerIgnore();
        var path = Path.Combine(context, ".dockerignore");
        if (!File.Exists(path)) return ignore;
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var include = line.StartsWith('!');
            if (include) line = line[1..].Trim();
            line = line.Replace('\\', '/').Trim('/');
            if (line.StartsWith("./", StringComparison.Ordinal)) line = line[2..];
            if (line.Length > 0) ignore._rules.Add((new Regex("^" + ToRegex(line) + "(/.*)?$", RegexOptions.CultureInvariant), include));
        }
        return ignore;
    }

    /// <param name="relativePath">A path in the context, with forward slashes.</param>
    public bool Excludes(string relativePath)
    {
        var excluded = false;
        foreach (var (pattern, include) in _rules)
            if (pattern.IsMatch(relativePath)) excluded = !include;
        return excluded;
    }

    public bool IsEmpty => _rules.Count == 0;

    private static string ToRegex(string pattern)
    {
        var regex = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                // "**/" matches any number of folders, none included; a trailing "**" matches anything.
                i++;
                if (i + 1 < pattern.Length && pattern[i + 1] == '/') { i++; regex.Append("(.*/)?"); }
                else regex.Append(".*");
            }
            else if (c == '*') regex.Append("[^/]*");
            else if (c == '?') regex.Append("[^/]");
            else regex.Append(Regex.Escape(c.ToString()));
        }
        return regex.ToString();
    }
}
