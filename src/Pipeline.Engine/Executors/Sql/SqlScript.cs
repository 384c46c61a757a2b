namespace Pipeline.Engine.Executors.Sql;

/// <summary>
/// Where each statement of a SQL script starts: split at semicolons outside quotes ('…', "…"),
/// dollar quotes ($tag$…$tag$), and comments (-- and /* */), so each can be sent on its own and a
/// failing one named by its line. A SQL-standard function body (BEGIN ATOMIC … END) must be written in
/// dollar quotes.
/// </summary>
internal static class SqlScript
{
    /// <returns>Each statement that holds more than blanks and comments: where it starts, and where it ends (before its semicolon).</returns>
    public static IReadOnlyList<(int Start, int End)> Statements(string text)
    {
        var starts = new List<int>();
        var statements = new List<(int, int)>();
        int? start = null;
        var last = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '-' && i + 1 < text.Length && text[i + 1] == '-') { i = Skip(text, text.IndexOf('\n', i)); continue; }
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '*') { var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal); i = end < 0 ? text.Length : end + 2; continue; }
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == ';')
            {
                if (start is { } s0) statements.Add((s0, i));
                start = null;
                i++;
                continue;
            }
            start ??= StartAt(starts, i);
            if (c is '\'' or '"')
            {
                var close = i + 1;
                while (close < text.Length && (text[close] != c || (close + 1 < text.Length && text[close + 1] == c && ++close > 0))) close++;
                i = close + 1;
                last = i;
                continue;
            }
            if (c == '$' && DollarTag(text, i) is { } tag)
            {
                var end = text.IndexOf(tag, i + tag.Length, StringComparison.Ordinal);
                i = end < 0 ? text.Length : end + tag.Length;
                last = i;
                continue;
            }
            i++;
            last = i;
        }
        if (start is { } open) statements.Add((open, Math.Max(open, last)));
        return statements;
    }

    private static int StartAt(List<int> starts, int at)
    {
        starts.Add(at);
        return at;
    }

    private static int Skip(string text, int newline) => newline < 0 ? text.Length : newline + 1;

    /// <summary><c>$$</c> or <c>$name$</c> at <paramref name="i"/>, else null (a parameter such as <c>$1</c>).</summary>
    private static string? DollarTag(string text, int i)
    {
        var end = i + 1;
        while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] == '_')) end++;
        if (end >= text.Length || text[end] != '$') return null;
        var tag = text[i..(end + 1)];
        return tag.Length > 2 && char.IsDigit(tag[1]) ? null : tag;
    }
}
