using System.Text;
using Pipeline.Core.Expressions;
using Pipeline.Core.Shell;

namespace Pipeline.Engine.Processes;

/// <summary>
/// Turns a shell task's command into a script that cannot be injected into. Each <c>${expr}</c> is
/// evaluated and its value handed to the process in an environment variable
/// (<c>WORKFLOW_EXPR_1</c>, ...); the script text gets a reference to that variable, never the value.
/// A shell does not parse the contents of a variable as code, so <c>$(touch pwned)</c> or
/// <c>x; rm -rf ~</c> in a value is printed, not run.
/// <para>
/// For sh and bash the reference fits where it stands (<see cref="ShellContexts"/>):
/// <c>"${WORKFLOW_EXPR_1}"</c> outside quotes, <c>${WORKFLOW_EXPR_1}</c> inside double quotes and in
/// a heredoc, <c>'"${WORKFLOW_EXPR_1}"'</c> inside single quotes and <c>'"${WORKFLOW_EXPR_1}"$'</c>
/// inside <c>$'…'</c> (close, insert, reopen), so the value is one word with no splitting or globbing.
/// Three places are different. Where bash evaluates a variable's contents as arithmetic
/// (<c>$(( ))</c>, <c>(( ))</c>, <c>let</c>, <c>[[ … -eq … ]]</c>, array subscripts) a value such as
/// <c>a[$(touch pwned)]</c> would run, so there the value must be an integer or the task fails.
/// <c>eval</c> runs its arguments as code, so an expression there is refused (WF3014 at validation).
/// A quoted heredoc (<c>&lt;&lt;'EOF'</c>) expands nothing, so the value itself goes into the text,
/// where it is data; a value holding the delimiter line would end the heredoc early and is refused.
/// PowerShell gets <c>$env:WORKFLOW_EXPR_1</c> and cmd <c>%WORKFLOW_EXPR_1%</c> (cmd expands variables
/// before parsing; prefer pwsh on Windows).
/// </para>
/// </summary>
public static class ShellScript
{
    public const string VariablePrefix = "WORKFLOW_EXPR_";

    public sealed record Result(string Script, IReadOnlyDictionary<string, string> Variables);

    /// <exception cref="ExpressionException">A value cannot go safely where its expression stands.</exception>
    public static Result Build(InterpolatedString command, string shell, Func<ParsedExpression, string> evaluate)
    {
        if (shell is "pwsh" or "powershell" or "cmd") return BuildOther(command, shell, evaluate);
        var spots = ShellContexts.Analyze(command);
        var script = new StringBuilder();
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var hole = 0;
        foreach (var segment in command.Segments)
        {
            if (segment is TextSegment text)
            {
                script.Append(text.Text);
                continue;
            }
            var parsed = ((ExpressionSegment)segment).Expression;
            var spot = spots[hole++];
            var expression = "${" + parsed.Text + "}";
            if (spot.Eval)
                throw new ExpressionException($"{expression} is an argument of eval, which runs its arguments as shell code whatever their quoting; "
                    + "pass the value to the command directly instead of through eval");
            var value = evaluate(parsed);
            if (spot.Place == ShellPlace.QuotedHeredoc)
            {
                if (EndsHeredoc(value, spot))
                    throw new ExpressionException($"the value of {expression} holds the line '{spot.HeredocDelimiter}', which would end its heredoc early and run the rest as commands");
                script.Append(value);
                continue;
            }
            if (spot.Arithmetic && !IsInteger(value))
                throw new ExpressionException($"{expression} stands where bash evaluates a value as arithmetic ($(( )), (( )), let, [[ … -eq … ]] or an array subscript), "
                    + "where a value such as a[$(cmd)] runs cmd; its value is not an integer, so the task is not run");
            var name = VariablePrefix + (variables.Count + 1);
            variables[name] = value;
            script.Append(spot.Arithmetic ? "${" + name + "}" : Reference(name, spot.Place));
        }
        return new Result(script.ToString(), variables);
    }

    private static string Reference(string name, ShellPlace place) => place switch
    {
        ShellPlace.DoubleQuoted or ShellPlace.Heredoc => "${" + name + "}",
        ShellPlace.SingleQuoted => "'\"${" + name + "}\"'",
        ShellPlace.AnsiCQuoted => "'\"${" + name + "}\"$'",
        _ => "\"${" + name + "}\"",
    };

    /// <summary>A decimal integer, the only value bash's arithmetic cannot turn into code.</summary>
    private static bool IsInteger(string value)
    {
        var digits = value.StartsWith('-') || value.StartsWith('+') ? value.AsSpan(1) : value.AsSpan();
        if (digits.IsEmpty || digits.Length > 19) return false;
        foreach (var c in digits) if (c is < '0' or > '9') return false;
        return true;
    }

    private static bool EndsHeredoc(string value, ShellSpot spot)
    {
        foreach (var line in value.Split('\n'))
        {
            var compared = spot.HeredocStripsTabs ? line.TrimStart('\t') : line;
            if (compared.TrimEnd('\r') == spot.HeredocDelimiter) return true;
        }
        return false;
    }

    /// <summary>PowerShell and cmd: their own variable syntax; only PowerShell's single quotes need closing around it.</summary>
    private static Result BuildOther(InterpolatedString command, string shell, Func<ParsedExpression, string> evaluate)
    {
        var script = new StringBuilder();
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var single = false;
        foreach (var segment in command.Segments)
        {
            if (segment is TextSegment text)
            {
                script.Append(text.Text);
                foreach (var c in text.Text) if (c == '\'') single = !single;
                continue;
            }
            var name = VariablePrefix + (variables.Count + 1);
            variables[name] = evaluate(((ExpressionSegment)segment).Expression);
            script.Append(shell == "cmd" ? $"%{name}%" : single ? $"'+$env:{name}+'" : $"$env:{name}");
        }
        return new Result(script.ToString(), variables);
    }
}
