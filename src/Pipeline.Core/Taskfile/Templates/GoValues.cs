using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Pipeline.Core.Json;
using Pipeline.Core.Text;
using Pipeline.Core.Yaml;

namespace Pipeline.Core.Taskfile.Templates;

/// <summary>
/// Template values as go-task sees them: null, string, bool, long, double, lists
/// (<see cref="IList{T}"/> of object) and maps (<see cref="IDictionary{TKey,TValue}"/> string → object),
/// with Go's printing (<c>%v</c>), truth and comparison rules.
/// </summary>
public static class GoValues
{
    /// <summary>How Go prints a value with <c>%v</c>: <c>[a b]</c> for lists, <c>map[k:v]</c> with sorted keys, <c>&lt;no value&gt;</c> for nil.</summary>
    public static string Format(object? value)
    {
        switch (value)
        {
            case null: return "<no value>";
            case string s: return s;
            case bool b: return b ? "true" : "false";
            case long l: return l.ToString(CultureInfo.InvariantCulture);
            case int i: return i.ToString(CultureInfo.InvariantCulture);
            case double d: return FormatDouble(d);
            case DateTimeOffset t: return GoTime.Print(t);
            case IDictionary<string, object?> map:
                return "map[" + string.Join(" ", map.Keys.OrderBy(k => k, StringComparer.Ordinal).Select(k => k + ":" + FormatNested(map[k]))) + "]";
            case IList list:
                return "[" + string.Join(" ", list.Cast<object?>().Select(FormatNested)) + "]";
            default: return Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
        }
    }

    private static string FormatNested(object? value) => value is null ? "<nil>" : Format(value);

    private static string FormatDouble(double d)
    {
        if (double.IsPositiveInfinity(d)) return "+Inf";
        if (double.IsNegativeInfinity(d)) return "-Inf";
        if (double.IsNaN(d)) return "NaN";
        var exponent = d == 0 ? 0 : (int)Math.Floor(Math.Log10(Math.Abs(d)));
        if (exponent < -4 || exponent >= 21)
        {
            var e = d.ToString("0.################e+00", CultureInfo.InvariantCulture);
            return e;
        }
        return d.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>Go's truth: false, 0, nil and empty strings, lists and maps are false.</summary>
    public static bool IsTrue(object? value) => value switch
    {
        null => false,
        bool b => b,
        string s => s.Length > 0,
        long l => l != 0,
        int i => i != 0,
        double d => d != 0,
        ICollection c => c.Count > 0,
        IDictionary<string, object?> m => m.Count > 0,
        _ => true,
    };

    public static bool AreEqual(object? a, object? b)
    {
        if (a is null || b is null) return a is null && b is null;
        if (IsNumber(a) && IsNumber(b)) return ToDouble(a) == ToDouble(b);
        if (a is string sa && b is string sb) return string.Equals(sa, sb, StringComparison.Ordinal);
        if (a is bool ba && b is bool bb) return ba == bb;
        if (a.GetType() != b.GetType())
            throw new TemplateException($"error calling eq: incompatible types for comparison ({TypeName(a)} and {TypeName(b)})");
        return Equals(a, b);
    }

    public static int Compare(object? a, object? b, string function)
    {
        if (IsNumber(a) && IsNumber(b)) return ToDouble(a!).CompareTo(ToDouble(b!));
        if (a is string sa && b is string sb) return string.CompareOrdinal(sa, sb);
        throw new TemplateException($"error calling {function}: incompatible types for comparison ({TypeName(a)} and {TypeName(b)})");
    }

    public static bool IsNumber(object? v) => v is long or int or double;

    public static double ToDouble(object v) => v switch
    {
        long l => l,
        int i => i,
        double d => d,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => 0,
    };

    /// <summary>sprig's toInt64: numbers truncate, numeric strings parse, anything else is 0.</summary>
    public static long ToLong(object? v) => v switch
    {
        long l => l,
        int i => i,
        double d => (long)d,
        bool b => b ? 1 : 0,
        string s when long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => l,
        string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => (long)d,
        _ => 0,
    };

    public static string TypeName(object? v) => v switch
    {
        null => "nil",
        string => "string",
        bool => "bool",
        long or int => "int",
        double => "float64",
        IDictionary<string, object?> => "map[string]interface {}",
        IList => "[]interface {}",
        _ => v.GetType().Name,
    };

    /// <summary>A YAML value as go-task decodes it: plain scalars become bool, int, float or nil; lists and maps keep their order.</summary>
    public static object? FromYaml(YamlNode node)
    {
        switch (node)
        {
            case YamlScalar s when s.IsNull: return null;
            case YamlScalar { Style: ScalarStyle.Plain } s:
                if (s.AsBool is { } b) return b;
                if (long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return l;
                if (s.Value.IndexOfAny(new[] { '.', 'e', 'E' }) >= 0 && double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
                return s.Value;
            case YamlScalar s: return s.Value;
            case YamlSequence seq: return seq.Items.Select(FromYaml).ToList();
            case YamlMapping map:
            {
                var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var e in map.Entries) dict[e.Key.Value] = FromYaml(e.Value);
                return dict;
            }
            default: return null;
        }
    }

    /// <summary>Parses JSON text into template values (sprig's fromJson); null and a message when it is not JSON.</summary>
    public static object? FromJson(string text, out string? error)
    {
        var bag = new Diagnostics.DiagnosticBag();
        var node = JsonReader.Parse(new SourceDocument("json", text), bag);
        error = bag.HasErrors || node is null ? "invalid JSON" : null;
        return node is null ? null : FromJson(node);
    }

    private static object? FromJson(JsonNode node) => node switch
    {
        JsonObject o => o.Properties.ToDictionary(p => p.Name, p => FromJson(p.Value), StringComparer.Ordinal),
        JsonArray a => a.Items.Select(FromJson).ToList(),
        JsonString s => s.Value,
        JsonNumber n => n.TryGetInt64(out var l) ? l : n.Value,
        JsonBoolean b => b.Value,
        _ => null,
    };

    /// <summary>Compact JSON (sprig's toJson); map keys sorted, as Go's encoder writes them.</summary>
    public static string ToJson(object? value)
    {
        var sb = new StringBuilder();
        WriteJson(sb, value);
        return sb.ToString();
    }

    private static void WriteJson(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case null: sb.Append("null"); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case long or int or double: sb.Append(Format(value)); break;
            case string s: WriteJsonString(sb, s); break;
            case IDictionary<string, object?> map:
                sb.Append('{');
                var first = true;
                foreach (var k in map.Keys.OrderBy(k => k, StringComparer.Ordinal))
                {
                    if (!first) sb.Append(',');
                    first = false;
                    WriteJsonString(sb, k);
                    sb.Append(':');
                    WriteJson(sb, map[k]);
                }
                sb.Append('}');
                break;
            case IList list:
                sb.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    WriteJson(sb, list[i]);
                }
                sb.Append(']');
                break;
            default: WriteJsonString(sb, Format(value)); break;
        }
    }

    private static void WriteJsonString(StringBuilder sb, string s) => Expressions.ExprValue.WriteJsonString(sb, s, escapeHtml: true);
}
