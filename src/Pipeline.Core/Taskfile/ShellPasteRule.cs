using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Text;

namespace Pipeline.Core.Taskfile;

/// <summary>
/// WF3013: a shell command that pastes a variable someone can set on the command line
/// (<c>workflow run -t … NAME='$(rm -rf ~)'</c>, or a CI job passing a branch name) without
/// <c>| q</c> (go-task's shellQuote). go-task renders the template first and hands the text to the
/// shell, so such a value runs as shell code; double quotes do not help (<c>$(…)</c> expands in
/// them). <c>{{.CLI_ARGS}}</c> is already shell-quoted word by word, so it is safe bare and unsafe
/// only inside quotes, where its quoting breaks.
/// <para>
/// "Settable on the command line" follows the variable precedence (docs/taskfile.md): a task's own
/// <c>vars</c> win over <c>NAME=value</c>, unless their value reads the same name (the
/// <c>{{.X | default "d"}}</c> idiom); special variables other than CLI_ARGS are the engine's.
/// </para>
/// </summary>
internal static class ShellPasteRule
{
    private static readonly Regex Field = new(@"(?<![\w)$\]])\.([A-Za-z_][A-Za-z0-9_]*)", RegexOptions.CultureInvariant);
    private static readonly Regex Strings = new("\"(?:[^\"\\\\]|\\\\.)*\"|`[^`]*`", RegexOptions.CultureInvariant);
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
        { "if", "else", "end", "range", "with", "define", "template", "block", "break", "continue" };
    private static readonly HashSet<string> Quoting = new(StringComparer.Ordinal) { "q", "shellQuote" };

    /// <param name="fixedVariables">Variables the command line cannot set for this command (the task's own vars).</param>
    public static void Check(LocatedString command, IReadOnlyCollection<string> fixedVariables, DiagnosticBag bag)
    {
        var text = command.Value;
        var quote = '\0'; // the shell's quoting where the next action starts: none, ' or "
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '{' && i + 1 < text.Length && text[i + 1] == '{')
            {
                var close = GoTemplate.FindClose(text, i + 2);
                if (close < 0) return; // WF3012 reports it
                CheckAction(command, i + 2, close, quote, fixedVariables, bag);
                i = close + 1;
                continue;
            }
            var c = text[i];
            if (quote == '\'') { if (c == '\'') quote = '\0'; }
            else if (c == '\\') i++;
            else if (quote == '"') { if (c == '"') quote = '\0'; }
            else if (c is '\'' or '"') quote = c;
        }
    }

    private static void CheckAction(LocatedString command, int start, int end, char quote, IReadOnlyCollection<string> fixedVariables, DiagnosticBag bag)
    {
        var body = command.Value.Substring(start, end - start);
        var trimmed = body.Trim().Trim('-').Trim();
        var firstWord = trimmed.Split(' ', '\t')[0];
        if (Keywords.Contains(firstWord) || trimmed.StartsWith("/*", StringComparison.Ordinal)) return; // control, not text
        if (Regex.IsMatch(trimmed, @"^\$\w*\s*:?=")) return; // a declaration prints nothing

        // The pipeline's commands, outside strings: safe when the last one quotes.
        var code = Strings.Replace(body, m => new string(' ', m.Length));
        var stages = code.Split('|');
        var quoted = Quoting.Contains(stages[stages.Length - 1].Trim());
        if (quoted && quote == '\0') return;

        foreach (Match m in Field.Matches(code))
        {
            var name = m.Groups[1].Value;
            string message, hint;
            if (name == "CLI_ARGS")
            {
                if (quote == '\0' && stages.Length == 1) continue; // shell-quoted words, pasted as words
                message = quote != '\0'
                    ? "{{.CLI_ARGS}} is inside quotes here: its words are shell-quoted for an unquoted place, and inside quotes that quoting breaks, so an argument such as '$(touch x)' runs"
                    : "{{.CLI_ARGS}} goes through a function before it is pasted into the command, which undoes its shell quoting";
                hint = "paste it bare, outside quotes (echo testing {{.CLI_ARGS}}), or as one quoted word outside quotes ({{.CLI_ARGS | q}})";
            }
            else
            {
                if (TaskfileRules.SpecialVariables.Contains(name) || fixedVariables.Contains(name)) continue;
                message = quote != '\0' || quoted
                    ? $"{{{{.{name}}}}} is pasted inside {(quote == '\'' ? "single" : "double")} quotes; a value set on the command line ({name}='$(…)' or one with a quote in it) still runs as shell code"
                    : $"{{{{.{name}}}}} is pasted into a shell command unquoted; a value set on the command line ({name}='$(…)') runs as shell code";
                hint = $"write {{{{.{name} | q}}}} outside quotes (shellQuote): the shell reads it back as the value, whatever it holds";
            }
            bag.Report(Descriptors.UnquotedShellVariable, command.SpanOf(start + m.Index, m.Length), message, hint);
        }
    }
}
