using System.Collections.Generic;
using System.Text;

namespace Pipeline.Core.Taskfile.Templates;

/// <summary>Quoting and splitting of shell words, as go-task's shellQuote and splitArgs (and CLI_ARGS) do it.</summary>
public static class ShellWords
{
    /// <summary>A word the shell reads back as <paramref name="s"/>: unchanged when it is safe, else single-quoted.</summary>
    public static string Quote(string s)
    {
        if (s.Length == 0) return "''";
        var safe = true;
        foreach (var c in s)
            if (!(char.IsLetterOrDigit(c) && c < 128) && "_@%+=:,./-".IndexOf(c) < 0) { safe = false; break; }
        return safe ? s : "'" + s.Replace("'", "'\\''") + "'";
    }

    /// <summary>Splits a command line into words: blanks separate, quotes group, backslash escapes (no expansion).</summary>
    public static List<string> Split(string s)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c is ' ' or '\t' or '\n')
            {
                if (inWord) words.Add(current.ToString());
                current.Clear();
                inWord = false;
                continue;
            }
            inWord = true;
            if (c == '\\' && i + 1 < s.Length) current.Append(s[++i]);
            else if (c == '\'')
            {
                var end = s.IndexOf('\'', i + 1);
                if (end < 0) end = s.Length;
                current.Append(s, i + 1, end - i - 1);
                i = end;
            }
            else if (c == '"')
            {
                i++;
                while (i < s.Length && s[i] != '"')
                {
                    if (s[i] == '\\' && i + 1 < s.Length && s[i + 1] is '"' or '\\' or '$' or '`') i++;
                    current.Append(s[i++]);
                }
            }
            else current.Append(c);
        }
        if (inWord) words.Add(current.ToString());
        return words;
    }
}
