using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Pipeline.Core.Expressions;

public enum ExprKind { Null, Boolean, Number, String, Array, Object }

/// <summary>
/// A value in the expression language: JSON's six kinds, with GitHub Actions' coercion rules
/// (falsy values, loose equality, number and string conversion). Immutable.
/// </summary>
public sealed class ExprValue
{
    public static readonly ExprValue Null = new(ExprKind.Null, null);
    public static readonly ExprValue True = new(ExprKind.Boolean, true);
    public static readonly ExprValue False = new(ExprKind.Boolean, false);
    public static readonly ExprValue EmptyString = new(ExprKind.String, string.Empty);

    private readonly object? _value;

    private ExprValue(ExprKind kind, object? value)
    {
        Kind = kind;
        _value = value;
    }

    public ExprKind Kind { get; }

    public static ExprValue Bool(bool value) => value ? True : False;
    public static ExprValue Number(double value) => new(ExprKind.Number, value);
    public static ExprValue String(string? value) => value is null ? Null : value.Length == 0 ? EmptyString : new(ExprKind.String, value);
    public static ExprValue Array(IEnumerable<ExprValue> items) => new(ExprKind.Array, items.ToList());

    /// <summary>The result of a wildcard (<c>x.*</c>): property access on it maps over the elements.</summary>
    internal static ExprValue FilteredArray(IEnumerable<ExprValue> items) => new(ExprKind.Array, items.ToList()) { IsFiltered = true };

    internal bool IsFiltered { get; private init; }

    /// <summary>An object; keys are looked up case-insensitively, as in GitHub Actions. Order is kept.</summary>
    public static ExprValue Object(IEnumerable<KeyValuePair<string, ExprValue>> properties)
    {
        var map = new ExprObject();
        foreach (var p in properties) map.Set(p.Key, p.Value);
        return new(ExprKind.Object, map);
    }

    public bool AsBoolean => (bool)_value!;
    public double AsNumber => (double)_value!;
    public string AsString => (string)_value!;
    public IReadOnlyList<ExprValue> AsArray => (List<ExprValue>)_value!;
    public IReadOnlyList<KeyValuePair<string, ExprValue>> AsObject => ((ExprObject)_value!).Entries;

    public bool IsPrimitive => Kind is ExprKind.Null or ExprKind.Boolean or ExprKind.Number or ExprKind.String;

    /// <summary>Falsy: false, 0, -0, NaN, '' and null. Everything else, including 'false', [] and {}, is truthy.</summary>
    public bool IsTruthy => Kind switch
    {
        ExprKind.Null => false,
        ExprKind.Boolean => AsBoolean,
        ExprKind.Number => AsNumber != 0 && !double.IsNaN(AsNumber),
        ExprKind.String => AsString.Length > 0,
        _ => true,
    };

    /// <summary>A property by name (case-insensitive), or null.</summary>
    public ExprValue GetProperty(string name) =>
        Kind == ExprKind.Object && ((ExprObject)_value!).TryGet(name, out var v) ? v : Null;

    /// <summary>The text form used by interpolation and string functions.</summary>
    public string ToText() => Kind switch
    {
        ExprKind.Null => string.Empty,
        ExprKind.Boolean => AsBoolean ? "true" : "false",
        ExprKind.Number => FormatNumber(AsNumber),
        ExprKind.String => AsString,
        ExprKind.Array => "Array",
        _ => "Object",
    };

    /// <summary>Number conversion with JavaScript's Number() rules for strings.</summary>
    public double ToNumber() => Kind switch
    {
        ExprKind.Null => 0,
        ExprKind.Boolean => AsBoolean ? 1 : 0,
        ExprKind.Number => AsNumber,
        ExprKind.String => ParseNumber(AsString),
        _ => double.NaN,
    };

    /// <summary>
    /// A number as GitHub Actions writes it: rounded to 15 significant digits, then in JavaScript's
    /// form (Number.prototype.toString): plain digits from 1e-7 up to 1e21, else an exponent such as
    /// <c>1e+21</c> or <c>1.5e-7</c>; NaN, Infinity and -Infinity by name; -0 as 0.
    /// </summary>
    internal static string FormatNumber(double d)
    {
        if (double.IsNaN(d)) return "NaN";
        if (double.IsPositiveInfinity(d)) return "Infinity";
        if (double.IsNegativeInfinity(d)) return "-Infinity";
        if (d == 0) return "0";
        // "E14": one digit, 14 decimals, an exponent: the 15 significant digits, without .NET's choice of notation.
        var e = d.ToString("E14", CultureInfo.InvariantCulture);
        var negative = e[0] == '-';
        var mantissa = e.Substring(negative ? 1 : 0, e.IndexOf('E') - (negative ? 1 : 0)).Replace(".", "");
        var exponent = int.Parse(e.Substring(e.IndexOf('E') + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var digits = mantissa.TrimEnd('0');
        if (digits.Length == 0) return "0";
        // JavaScript's algorithm: value = 0.digits × 10^n.
        var k = digits.Length;
        var n = exponent + 1;
        string text;
        if (k <= n && n <= 21) text = digits + new string('0', n - k);
        else if (0 < n && n <= 21) text = digits.Substring(0, n) + "." + digits.Substring(n);
        else if (-6 < n && n <= 0) text = "0." + new string('0', -n) + digits;
        else
        {
            var sign = n - 1 < 0 ? "-" : "+";
            text = digits.Substring(0, 1) + (k > 1 ? "." + digits.Substring(1) : "") + "e" + sign + Math.Abs(n - 1).ToString(CultureInfo.InvariantCulture);
        }
        return negative ? "-" + text : text;
    }

    internal static double ParseNumber(string s)
    {
        var t = s.Trim();
        if (t.Length == 0) return 0;
        if (t == "Infinity" || t == "+Infinity") return double.PositiveInfinity;
        if (t == "-Infinity") return double.NegativeInfinity;
        if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return TryParseRadix(t.Substring(2), 16);
        if (t.StartsWith("0o", StringComparison.OrdinalIgnoreCase))
            return TryParseRadix(t.Substring(2), 8);
        foreach (var c in t)
            if (!(char.IsDigit(c) || c is '.' or 'e' or 'E' or '+' or '-')) return double.NaN;
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN;
    }

    private static double TryParseRadix(string digits, int radix)
    {
        if (digits.Length == 0) return double.NaN;
        double result = 0;
        foreach (var c in digits)
        {
            var v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;
            if (v >= radix) return double.NaN;
            result = result * radix + v;
        }
        return result;
    }

    /// <summary>
    /// GitHub Actions' coercion before comparing: a number against a string makes the string a number;
    /// a boolean or null against another kind becomes a number. Returns false when the kinds still differ.
    /// </summary>
    private static bool Coerce(ref ExprValue a, ref ExprValue b)
    {
        while (a.Kind != b.Kind)
        {
            if (a.Kind == ExprKind.Number && b.Kind == ExprKind.String) b = Number(b.ToNumber());
            else if (a.Kind == ExprKind.String && b.Kind == ExprKind.Number) a = Number(a.ToNumber());
            else if (a.Kind is ExprKind.Boolean or ExprKind.Null) a = Number(a.ToNumber());
            else if (b.Kind is ExprKind.Boolean or ExprKind.Null) b = Number(b.ToNumber());
            else return false;
        }
        return true;
    }

    /// <summary>Loose equality (GitHub Actions): numbers and strings compare as numbers, strings ignore case, objects by reference.</summary>
    public static bool LooseEquals(ExprValue a, ExprValue b)
    {
        if (!Coerce(ref a, ref b)) return false;
        return a.Kind switch
        {
            ExprKind.Null => true,
            ExprKind.Boolean => a.AsBoolean == b.AsBoolean,
            ExprKind.Number => a.AsNumber == b.AsNumber,
            ExprKind.String => string.Equals(a.AsString, b.AsString, StringComparison.OrdinalIgnoreCase),
            _ => ReferenceEquals(a._value, b._value),
        };
    }

    /// <summary>Ordering with the same coercion; returns null when the values cannot be ordered (then every comparison is false).</summary>
    public static int? Compare(ExprValue a, ExprValue b)
    {
        if (!Coerce(ref a, ref b)) return null;
        return a.Kind switch
        {
            ExprKind.Number when double.IsNaN(a.AsNumber) || double.IsNaN(b.AsNumber) => null,
            ExprKind.Number => a.AsNumber.CompareTo(b.AsNumber),
            ExprKind.String => string.Compare(a.AsString, b.AsString, StringComparison.OrdinalIgnoreCase),
            ExprKind.Boolean => a.AsBoolean.CompareTo(b.AsBoolean),
            ExprKind.Null => 0,
            _ => null,
        };
    }

    /// <summary>JSON text (two-space indented, as GitHub's toJSON).</summary>
    public string ToJson(bool indented = true)
    {
        var sb = new StringBuilder();
        WriteJson(sb, this, indented, 0);
        return sb.ToString();
    }

    private static void WriteJson(StringBuilder sb, ExprValue v, bool indented, int depth)
    {
        switch (v.Kind)
        {
            case ExprKind.Null: sb.Append("null"); break;
            case ExprKind.Boolean: sb.Append(v.AsBoolean ? "true" : "false"); break;
            case ExprKind.Number:
                var n = v.AsNumber;
                sb.Append(double.IsNaN(n) || double.IsInfinity(n) ? "null" : FormatNumber(n));
                break;
            case ExprKind.String: WriteJsonString(sb, v.AsString); break;
            case ExprKind.Array:
                WriteContainer(sb, '[', ']', v.AsArray.Select(i => (string?)null).ToList(), v.AsArray, indented, depth);
                break;
            default:
                var entries = v.AsObject;
                WriteContainer(sb, '{', '}', entries.Select(e => (string?)e.Key).ToList(), entries.Select(e => e.Value).ToList(), indented, depth);
                break;
        }
    }

    private static void WriteContainer(StringBuilder sb, char open, char close, IReadOnlyList<string?> keys, IReadOnlyList<ExprValue> values, bool indented, int depth)
    {
        sb.Append(open);
        if (values.Count == 0) { sb.Append(close); return; }
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0) sb.Append(',');
            if (indented) sb.Append('\n').Append(' ', (depth + 1) * 2);
            if (keys[i] is { } key)
            {
                WriteJsonString(sb, key);
                sb.Append(indented ? ": " : ":");
            }
            WriteJson(sb, values[i], indented, depth + 1);
        }
        if (indented) sb.Append('\n').Append(' ', depth * 2);
        sb.Append(close);
    }

    /// <summary>Appends <paramref name="s"/> to <paramref name="sb"/> as a JSON string literal.</summary>
    /// <param name="sb">Where the literal is written.</param>
    /// <param name="s">The text.</param>
    /// <param name="escapeHtml">Write &lt; &gt; &amp; as \u escapes, as Go's encoding/json does (Taskfile toJson).</param>
    public static void WriteJsonString(StringBuilder sb, string s, bool escapeHtml = false)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '<' or '>' or '&' when escapeHtml: sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default:
                    if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }

    public override string ToString() => Kind == ExprKind.String ? AsString : ToJson(indented: false);

    private sealed class ExprObject
    {
        private readonly List<KeyValuePair<string, ExprValue>> _entries = new();
        private readonly Dictionary<string, int> _index = new(StringComparer.OrdinalIgnoreCase);

        public IReadOnlyList<KeyValuePair<string, ExprValue>> Entries => _entries;

        public void Set(string key, ExprValue value)
        {
            if (_index.TryGetValue(key, out var i)) _entries[i] = new(key, value);
            else
            {
                _index[key] = _entries.Count;
                _entries.Add(new(key, value));
            }
        }

        public bool TryGet(string key, out ExprValue value)
        {
            if (_index.TryGetValue(key, out var i)) { value = _entries[i].Value; return true; }
            value = Null;
            return false;
        }
    }
}
