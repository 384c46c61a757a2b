using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Json;
using Pipeline.Core.Text;

namespace Pipeline.Core.Expressions;

/// <summary>
/// Evaluates parsed expressions. Pure: no I/O, no reflection, no code execution; the only inputs are
/// the literals and the context. Semantics follow GitHub Actions expressions.
/// </summary>
public static class Evaluator
{
    public static ExprValue Evaluate(ParsedExpression expression, ExpressionContext context)
    {
        if (!expression.Success) throw new ExpressionException(expression.Error?.Message ?? "invalid expression");
        return Eval(expression.Root!, context);
    }

    /// <summary>
    /// Evaluates a task condition: when it calls none of success(), failure(), cancelled(), always(),
    /// it is read as <c>success() &amp;&amp; (condition)</c>, so a condition never runs a task after a failure
    /// unless it says so.
    /// </summary>
    public static bool EvaluateCondition(ParsedExpression expression, ExpressionContext context)
    {
        if (!expression.CallsStatusFunction && (context.Failed || context.Cancelled)) return false;
        return Evaluate(expression, context).IsTruthy;
    }

    /// <summary>Parses and evaluates a text in one step (convenience for tools and tests).</summary>
    public static ExprValue Evaluate(string expression, ExpressionContext context) => Evaluate(Parser.Parse(expression), context);

    private static ExprValue Eval(ExprNode node, ExpressionContext ctx)
    {
        switch (node)
        {
            case LiteralNode literal:
                return literal.Value;
            case NamedValueNode named:
                return ctx.TryGet(named.Name, out var value) ? value : ExprValue.Null;
            case IndexNode index:
                return Index(Eval(index.Target, ctx), Eval(index.Index, ctx));
            case WildcardNode wildcard:
                return Wildcard(Eval(wildcard.Target, ctx));
            case NotNode not:
                return ExprValue.Bool(!Eval(not.Operand, ctx).IsTruthy);
            case BinaryNode binary:
                return EvalBinary(binary, ctx);
            case CallNode call:
                return Call(call, ctx);
            default:
                throw new ExpressionException($"unsupported expression node {node.GetType().Name}");
        }
    }

    private static ExprValue EvalBinary(BinaryNode node, ExpressionContext ctx)
    {
        // && and || short-circuit and return the deciding operand, not a boolean (a || 'default').
        if (node.Operator == BinaryOperator.And)
        {
            var left = Eval(node.Left, ctx);
            return left.IsTruthy ? Eval(node.Right, ctx) : left;
        }
        if (node.Operator == BinaryOperator.Or)
        {
            var left = Eval(node.Left, ctx);
            return left.IsTruthy ? left : Eval(node.Right, ctx);
        }
        var a = Eval(node.Left, ctx);
        var b = Eval(node.Right, ctx);
        switch (node.Operator)
        {
            case BinaryOperator.Equal: return ExprValue.Bool(ExprValue.LooseEquals(a, b));
            case BinaryOperator.NotEqual: return ExprValue.Bool(!ExprValue.LooseEquals(a, b));
        }
        var c = ExprValue.Compare(a, b);
        return ExprValue.Bool(c is { } cmp && node.Operator switch
        {
            BinaryOperator.Less => cmp < 0,
            BinaryOperator.LessEqual => cmp <= 0,
            BinaryOperator.Greater => cmp > 0,
            _ => cmp >= 0,
        });
    }

    private static ExprValue Index(ExprValue target, ExprValue index)
    {
        if (target.IsFiltered)
        {
            // a.*.b collects b from every element, dropping misses
            var collected = new List<ExprValue>();
            foreach (var element in target.AsArray)
            {
                var value = Index(element, index);
                if (value.Kind != ExprKind.Null) collected.Add(value);
            }
            return ExprValue.FilteredArray(collected);
        }
        if (target.Kind == ExprKind.Object)
            return index.IsPrimitive ? target.GetProperty(index.ToText()) : ExprValue.Null;
        if (target.Kind == ExprKind.Array)
        {
            var n = index.ToNumber();
            if (double.IsNaN(n) || n < 0) return ExprValue.Null;
            var i = (int)Math.Floor(n);
            return i < target.AsArray.Count ? target.AsArray[i] : ExprValue.Null;
        }
        return ExprValue.Null;
    }

    private static ExprValue Wildcard(ExprValue target) => target.Kind switch
    {
        ExprKind.Array when target.IsFiltered => ExprValue.FilteredArray(target.AsArray.SelectMany(e => e.Kind == ExprKind.Array ? e.AsArray : e.Kind == ExprKind.Object ? e.AsObject.Select(p => p.Value) : Enumerable.Empty<ExprValue>())),
        ExprKind.Array => ExprValue.FilteredArray(target.AsArray),
        ExprKind.Object => ExprValue.FilteredArray(target.AsObject.Select(p => p.Value)),
        _ => ExprValue.FilteredArray(Array.Empty<ExprValue>()),
    };

    private static ExprValue Call(CallNode call, ExpressionContext ctx)
    {
        switch (call.Name)
        {
            case "success": return ExprValue.Bool(!ctx.Failed && !ctx.Cancelled);
            case "failure": return ExprValue.Bool(ctx.Failed);
            case "cancelled": return ExprValue.Bool(ctx.Cancelled);
            case "always": return ExprValue.True;
        }
        var args = call.Arguments.Select(a => Eval(a, ctx)).ToList();
        switch (call.Name)
        {
            case "contains":
                if (args[0].Kind == ExprKind.Array) return ExprValue.Bool(args[0].AsArray.Any(x => ExprValue.LooseEquals(x, args[1])));
                if (!args[0].IsPrimitive || !args[1].IsPrimitive) return ExprValue.False;
                return ExprValue.Bool(args[0].ToText().IndexOf(args[1].ToText(), StringComparison.OrdinalIgnoreCase) >= 0);
            case "startsWith":
                if (!args[0].IsPrimitive || !args[1].IsPrimitive) return ExprValue.False;
                return ExprValue.Bool(args[0].ToText().StartsWith(args[1].ToText(), StringComparison.OrdinalIgnoreCase));
            case "endsWith":
                if (!args[0].IsPrimitive || !args[1].IsPrimitive) return ExprValue.False;
                return ExprValue.Bool(args[0].ToText().EndsWith(args[1].ToText(), StringComparison.OrdinalIgnoreCase));
            case "format":
                return ExprValue.String(Format(args[0].ToText(), args.Skip(1).ToList()));
            case "join":
                // Items as text (an array or object item is "Array" or "Object"); a separator that is
                // not a primitive falls back to ",", as in GitHub Actions.
                var separator = args.Count > 1 && args[1].IsPrimitive ? args[1].ToText() : ",";
                if (args[0].Kind == ExprKind.Array) return ExprValue.String(string.Join(separator, args[0].AsArray.Select(x => x.ToText())));
                return ExprValue.String(args[0].IsPrimitive ? args[0].ToText() : string.Empty);
            case "case":
                // case(p1, v1, p2, v2, ..., default): the value of the first true predicate, else the default.
                for (var i = 0; i + 1 < args.Count; i += 2)
                {
                    if (args[i].Kind != ExprKind.Boolean)
                        throw new ExpressionException($"case: predicate {i / 2 + 1} is {args[i].Kind.ToString().ToLowerInvariant()}, not a boolean; case predicates must evaluate to true or false (compare with ==, or use !!value)");
                    if (args[i].AsBoolean) return args[i + 1];
                }
                return args[args.Count - 1];
            case "toJSON":
                return ExprValue.String(args[0].ToJson());
            case "fromJSON":
                return FromJson(args[0].ToText());
            default:
                throw new ExpressionException($"unknown function '{call.Name}'");
        }
    }

    private static string Format(string format, IReadOnlyList<ExprValue> args)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c == '{')
            {
                if (i + 1 < format.Length && format[i + 1] == '{') { sb.Append('{'); i++; continue; }
                var close = format.IndexOf('}', i);
                if (close < 0 || !int.TryParse(format.Substring(i + 1, close - i - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
                    throw new ExpressionException($"format: invalid placeholder at position {i} in '{format}'; write {{0}}, or {{{{ for a literal brace");
                if (n >= args.Count) throw new ExpressionException($"format: placeholder {{{n}}} but only {args.Count} argument(s) given");
                sb.Append(args[n].ToText());
                i = close;
            }
            else if (c == '}')
            {
                if (i + 1 < format.Length && format[i + 1] == '}') { sb.Append('}'); i++; continue; }
                throw new ExpressionException($"format: unmatched '}}' at position {i} in '{format}'; write }}}} for a literal brace");
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Parses JSON text into a value (the reader used for workflow files, so comments are accepted).</summary>
    public static ExprValue FromJson(string json)
    {
        if (string.IsNullOrWhiteSpace(json)) throw new ExpressionException("fromJSON: empty input");
        var bag = new DiagnosticBag();
        var node = JsonReader.Parse(new SourceDocument("fromJSON", json), bag);
        if (node is null) throw new ExpressionException($"fromJSON: {bag.Items[0].Message}");
        return FromJsonNode(node);
    }

    public static ExprValue FromJsonNode(JsonNode node) => node switch
    {
        JsonObject o => ExprValue.Object(o.Properties.Select(p => new KeyValuePair<string, ExprValue>(p.Name, FromJsonNode(p.Value)))),
        JsonArray a => ExprValue.Array(a.Items.Select(FromJsonNode)),
        JsonString s => ExprValue.String(s.Value),
        JsonNumber n => ExprValue.Number(n.Value),
        JsonBoolean b => ExprValue.Bool(b.Value),
        _ => ExprValue.Null,
    };
}
