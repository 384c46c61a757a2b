using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.Engine.Taskfile;

/// <summary>
/// Reads <c>.env</c> files as godotenv (which go-task uses) does: <c>KEY=value</c>, optional <c>export</c>,
/// <c># comments</c>, single quotes literal, double quotes with <c>\n</c> escapes, and <c>${VAR}</c>
/// expanded in unquoted and double-quoted values from keys above and the environment.
/// </summary>
public static partial class Dotenv
{
    public static Dictionary<string, string> Parse(string text, Func<string, string?> lookup)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.StartsWith("export ", StringComparison.Ordinal)) line = line[7..].TrimStart();
            var eq = line.IndexOfAny(['=', ':']);
            if (eq <= 0) continue;
            var key = line[..eq].Trim();
            var raw = line[(eq + 1)..].TrimStart();
            string value;
            if (raw.StartsWith('\''))
            {
                var end = raw.IndexOf('\'', 1);
                value = end < 0 ? raw[1..] : raw[1..end];
            }
            else if (raw.StartsWith('"'))
            {
                // a double-quoted value may span lines
                var sb = new StringBuilder(raw[1..]);
                while (ClosingQuote(sb.ToString()) < 0 && i + 1 < lines.Length) sb.Append('\n').Append(lines[++i]);
                var body = sb.ToString();
                var close = ClosingQuote(body);
                value = Expand(Unescape(close < 0 ? body : body[..close]), values, lookup);
            }
            else
            {
                var hash = raw.IndexOf(" #", StringComparison.Ordinal);
                value = Expand((hash < 0 ? raw : raw[..hash]).Trim(), values, lookup);
            }
            values[key] = value;
        }
        return values;
    }

    private static int ClosingQuote(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\') { i++; continue; }
            if (s[i] == '"') return i;
        }
        return -1;
    }

    private static string Unescape(string s) =>
        s.Replace("\\n", "\n").Replace("\\r", "\r").Replace("\\t", "\t").Replace("\\\"", "\"").Replace("\\\\", "\\");

    private static string Expand(string value, Dictionary<string, string> values, Func<string, string?> lookup) =>
        Reference().Replace(value, m =>
        {
            if (m.Value.StartsWith("\\", StringComparison.Ordinal)) return m.Value[1..];
            var name = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
            return values.TryGetValue(name, out var v) ? v : lookup(name) ?? "";
        });

    [GeneratedRegex(@"\\?\$(?:\{(\w+)\}|(\w+))")]
    private static partial Regex Reference();
}
