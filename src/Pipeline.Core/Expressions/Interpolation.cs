using System;
using System.Collections.Generic;
using System.Text;

namespace Pipeline.Core.Expressions;

/// <summary>A piece of an interpolated string: literal text, or a <c>${ expression }</c>.</summary>
public abstract class Segment
{
    protected Segment(int start, int length)
    {
        Start = start;
        Length = length;
    }

    /// <summary>Offset of the segment inside the string value.</summary>
    public int Start { get; }
    public int Length { get; }
}

public sealed class TextSegment : Segment
{
    public TextSegment(int start, int length, string text) : base(start, length) => Text = text;
    public string Text { get; }
}

public sealed class ExpressionSegment : Segment
{
    public ExpressionSegment(int start, int length, int expressionStart, ParsedExpression expression) : base(start, length)
    {
        ExpressionStart = expressionStart;
        Expression = expression;
    }

    /// <summary>Offset of the expression text (after <c>${</c>) inside the string value.</summary>
    public int ExpressionStart { get; }
    public ParsedExpression Expression { get; }
}

/// <summary>A <c>${</c> with no closing <c>}</c>, at an offset inside the string value.</summary>
public sealed class InterpolationError
{
    public InterpolationError(int start, int length, string message, string hint)
    {
        Start = start;
        Length = length;
        Message = message;
        Hint = hint;
    }

    public int Start { get; }
    public int Length { get; }
    public string Message { get; }
    public string Hint { get; }
}

/// <summary>
/// Splits strings on <c>${ ... }</c>. Because shells use <c>${VAR}</c> too, the rule is:
/// <list type="bullet">
/// <item><c>${...}</c> is a Pipeline expression when the first word inside is a root name
/// (<c>env</c>, <c>secrets</c>, <c>tasks</c>, <c>item</c>, <c>index</c>, <c>workflow</c>, <c>trigger</c>)
/// or a function call such as <c>format(</c>;</item>
/// <item>anything else (<c>${HOME}</c>, <c>${VAR:-x}</c>, <c>${#list[@]}</c>) is left untouched for the shell;</item>
/// <item><c>$${</c> writes a literal <c>${</c>, so <c>$${env.X}</c> reaches the shell as <c>${env.X}</c>.</item>
/// </list>
/// </summary>
public sealed class InterpolatedString
{
    private InterpolatedString(string value, IReadOnlyList<Segment> segments, IReadOnlyList<InterpolationError> errors)
    {
        Value = value;
        Segments = segments;
        Errors = errors;
    }

    public string Value { get; }
    public IReadOnlyList<Segment> Segments { get; }
    public IReadOnlyList<InterpolationError> Errors { get; }

    public bool HasExpressions
    {
        get
        {
            foreach (var s in Segments)
                if (s is ExpressionSegment) return true;
            return false;
        }
    }

    /// <param name="value">The text.</param>
    /// <param name="template">True for notification settings and templates: no shell reads them, so every <c>${name…}</c> is an expression (<c>${execution.*}</c> included).</param>
    public static InterpolatedString Parse(string value, bool template = false)
    {
        var segments = new List<Segment>();
        var errors = new List<InterpolationError>();
        var text = new StringBuilder();
        var textStart = 0;
        var i = 0;
        while (i < value.Length)
        {
            if (value[i] == '$' && i + 2 < value.Length && value[i + 1] == '$' && value[i + 2] == '{')
            {
                text.Append("${"); // escape: $${ is a literal ${
                i += 3;
                continue;
            }
            if (value[i] == '$' && i + 1 < value.Length && value[i + 1] == '{' && IsOurs(value, i + 2, template))
            {
                var close = FindClose(value, i + 2);
                if (close < 0)
                {
                    errors.Add(new InterpolationError(i, value.Length - i, "'${' is not closed with '}'", "close the expression with }, or write $${ for a literal ${"));
                    text.Append(value, i, value.Length - i);
                    break;
                }
                if (text.Length > 0) segments.Add(new TextSegment(textStart, i - textStart, text.ToString()));
                text.Clear();
                var exprText = value.Substring(i + 2, close - i - 2);
                segments.Add(new ExpressionSegment(i, close + 1 - i, i + 2, Parser.Parse(exprText)));
                i = close + 1;
                textStart = i;
                continue;
            }
            text.Append(value[i]);
            i++;
        }
        if (text.Length > 0) segments.Add(new TextSegment(textStart, value.Length - textStart, text.ToString()));
        return new InterpolatedString(value, segments, errors);
    }

    /// <summary>
    /// Strips one whole-string <c>${ ... }</c> wrapper, returning the inner text and its offset: a
    /// condition or an items expression may be written bare (<c>env.X == 'a'</c>) or wrapped.
    /// </summary>
    public static (string Text, int Offset) UnwrapWhole(string value)
    {
        var trimmed = value.Trim();
        var lead = value.IndexOf(trimmed, StringComparison.Ordinal);
        if (trimmed.StartsWith("${", StringComparison.Ordinal) && trimmed.EndsWith("}", StringComparison.Ordinal))
        {
            var parsed = Parse(trimmed);
            if (parsed.Segments.Count == 1 && parsed.Segments[0] is ExpressionSegment)
                return (trimmed.Substring(2, trimmed.Length - 3), lead + 2);
        }
        return (value, 0);
    }

    /// <summary>Replaces every expression by its text value (for URLs, headers, names: not for shell scripts).</summary>
    public string Render(ExpressionContext context)
    {
        var sb = new StringBuilder();
        foreach (var segment in Segments)
        {
            if (segment is TextSegment t) sb.Append(t.Text);
            else if (segment is ExpressionSegment e) sb.Append(Evaluator.Evaluate(e.Expression, context).ToText());
        }
        return sb.ToString();
    }

    /// <summary>True when the text after <c>${</c> at <paramref name="at"/> starts with a root name or a function call.</summary>
    private static bool IsOurs(string value, int at, bool template)
    {
        while (at < value.Length && value[at] == ' ') at++;
        var start = at;
        while (at < value.Length && (char.IsLetterOrDigit(value[at]) || value[at] == '_')) at++;
        if (at == start || char.IsDigit(value[start])) return false;
        var word = value.Substring(start, at - start);
        // A template is not a shell script: every ${name...} in it is an expression (an unknown name is an error, not text).
        if (template) return true;
        if (ExpressionRoots.IsRoot(word))
        {
            // ${env.X}, ${item}, ${tasks['a'].status}; but not ${item-default} (shell default syntax)
            return at >= value.Length || value[at] is '.' or '[' or '}' or ' ' or '=' or '!' or '<' or '>' or '&' or '|' or ')';
        }
        var p = at;
        while (p < value.Length && value[p] == ' ') p++;
        return p < value.Length && value[p] == '(' && Functions.All.ContainsKey(word);
    }

    /// <summary>The closing brace, skipping braces inside single-quoted strings (format('{0}', x)).</summary>
    private static int FindClose(string value, int from)
    {
        var inString = false;
        for (var i = from; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\'') inString = !inString; // '' inside a string toggles twice: still correct
            else if (c == '}' && !inString) return i;
        }
        return -1;
    }
}
