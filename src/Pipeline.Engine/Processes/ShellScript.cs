using System.Text;
using Pipeline.Core.Expressions;

namespace Pipeline.Engine.Processes;

/// <summary>
/// Turns a shell task's command into a script that cannot be injected into. Each <c>${expr}</c> is
/// evaluated and its value handed to the process in an environment variable
/// (<c>WORKFLOW_EXPR_1</c>, ...); the script text gets a reference to that variable, never the value.
/// A shell does not parse the contents of a variable as code, so <c>$(touch pwned)</c> or
/// <c>x; rm -rf ~</c> in a value is printed, not run.
/// <para>
/// For sh and bash the reference is quoted to match where it stands: <c>"${WORKFLOW_EXPR_1}"</c>
/// outside quotes, <c>${WORKFLOW_EXPR_1}</c> inside double quotes, and <c>'"${WORKFLOW_EXPR_1}"'</c>
/// inside single quotes (close, insert, reopen), so the value is one word with no splitting or
/// globbing wherever the user wrote the expression. PowerShell gets <c>$env:WORKFLOW_EXPR_1</c> and
/// cmd <c>%WORKFLOW_EXPR_1%</c> (cmd expands variables before parsing; prefer pwsh on Windows).
/// </para>
/// </summary>
public static class ShellScript
{
    public const string VariablePrefix = "WORKFLOW_EXPR_";

    public sealed record Result(string Script, IReadOnlyDictionary<string, string> Variables);

    public static Result Build(InterpolatedString command, string shell, Func<ParsedExpression, string> evaluate)
    {
        var script = new StringBuilder();
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var quote = Quote.None;
        foreach (var segment in command.Segments)
        {
            if (segment is TextSegment text)
            {
                var before = script.Length == 0 ? '\n' : script[^1];
                script.Append(text.Text);
                quote = Track(quote, text.Text, before);
                continue;
            }
            var e = (ExpressionSegment)segment;
            var name = VariablePrefix + (variables.Count + 1);
            variables[name] = evaluate(e.Expression);
            script.Append(Reference(shell, name, quote));
        }
        return new Result(script.ToString(), variables);
    }

    private enum Quote { None, Single, Double }

    private static string Reference(string shell, string name, Quote quote) => shell switch
    {
        "pwsh" or "powershell" => quote == Quote.Single ? $"'+$env:{name}+'" : $"$env:{name}",
        "cmd" => $"%{name}%",
        _ => quote switch
        {
            Quote.Double => "${" + name + "}",
            Quote.Single => "'\"${" + name + "}\"'",
            _ => "\"${" + name + "}\"",
        },
    };

    /// <summary>The POSIX quoting state after <paramref name="text"/>: enough to place references, not a full shell parser.</summary>
    private static Quote Track(Quote quote, string text, char before)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (quote)
            {
                case Quote.Single:
                    if (c == '\'') quote = Quote.None;
                    break;
                case Quote.Double:
                    if (c == '\\') i++;
                    else if (c == '"') quote = Quote.None;
                    break;
                default:
                    if (c == '\\') i++;
                    else if (c == '\'') quote = Quote.Single;
                    else if (c == '"') quote = Quote.Double;
                    else if (c == '#' && char.IsWhiteSpace(i == 0 ? before : text[i - 1]))
                        while (i + 1 < text.Length && text[i + 1] != '\n') i++; // a comment: quotes inside do not count
                    break;
            }
        }
        return quote;
    }
}
