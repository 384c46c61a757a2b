using System;
using System.Collections.Generic;

namespace Pipeline.Core.Taskfile;

/// <summary>A <c>.NAME</c> read inside <c>{{ }}</c>, at an offset of the string.</summary>
internal readonly record struct TemplateVariable(string Name, int Start, int Length);

/// <summary>
/// Just enough of Go's text/template to check Taskfile strings: actions must be closed, and the
/// variables they read (<c>{{.VERSION}}</c>, <c>{{.X | default "d"}}</c>) are found with their positions.
/// Inside range/with blocks '.' is rebound, so variables there are not collected.
/// </summary>
internal static class GoTemplate
{
    public sealed class Result
    {
        public List<TemplateVariable> Variables { get; } = new();
        public List<(int Start, int Length, string Message)> Errors { get; } = new();

        /// <summary>Names whose value has a default (<c>| default "x"</c>), so an undefined one is fine.</summary>
        public HashSet<string> Defaulted { get; } = new(StringComparer.Ordinal);
    }

    public static Result Scan(string text)
    {
        var result = new Result();
        var rebound = 0; // depth of range/with blocks
        var i = 0;
        while (true)
        {
            var open = text.IndexOf("{{", i, StringComparison.Ordinal);
            if (open < 0) break;
            var close = FindClose(text, open + 2);
            if (close < 0)
            {
                result.Errors.Add((open, Math.Min(text.Length - open, 20), "template action '{{' is not closed with '}}'"));
                break;
            }
            var body = text.Substring(open + 2, close - open - 2);
            var trimmed = body.Trim().TrimStart('-').Trim();
            if (StartsWithWord(trimmed, "range") || StartsWithWord(trimmed, "with")) rebound++;
            else if (StartsWithWord(trimmed, "end")) rebound = Math.Max(0, rebound - 1);
            if (rebound == 0 || StartsWithWord(trimmed, "range") || StartsWithWord(trimmed, "with"))
                CollectVariables(body, open + 2, result);
            i = close + 2;
        }
        return result;
    }

    private static bool StartsWithWord(string s, string word) =>
        s.StartsWith(word, StringComparison.Ordinal) && (s.Length == word.Length || !char.IsLetterOrDigit(s[word.Length]));

    internal static int FindClose(string text, int from)
    {
        char quote = '\0';
        for (var i = from; i < text.Length - 1; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == '\\' && quote == '"') { i++; continue; }
                if (c == quote) quote = '\0';
                continue;
            }
            if (c == '"' || c == '`') { quote = c; continue; }
            if (c == '}' && text[i + 1] == '}') return i;
        }
        return -1;
    }

    private static void CollectVariables(string body, int offset, Result result)
    {
        char quote = '\0';
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (quote != '\0')
            {
                if (c == '\\' && quote == '"') { i++; continue; }
                if (c == quote) quote = '\0';
                continue;
            }
            if (c == '"' || c == '`') { quote = c; continue; }
            if (c != '.') continue;
            var prev = i == 0 ? ' ' : body[i - 1];
            if (char.IsLetterOrDigit(prev) || prev == '_' || prev == ')' || prev == ']' || prev == '$' || prev == '.') continue;
            var start = i + 1;
            var end = start;
            while (end < body.Length && (char.IsLetterOrDigit(body[end]) || body[end] == '_')) end++;
            if (end == start || char.IsDigit(body[start])) continue;
            var name = body.Substring(start, end - start);
            result.Variables.Add(new TemplateVariable(name, offset + start, end - start));
            var rest = body.Substring(end).TrimStart();
            if (rest.StartsWith("|", StringComparison.Ordinal) && rest.Substring(1).TrimStart().StartsWith("default", StringComparison.Ordinal))
                result.Defaulted.Add(name);
            i = end - 1;
        }
    }
}
