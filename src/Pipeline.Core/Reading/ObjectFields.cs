using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Json;
using Pipeline.Core.Model;
using Pipeline.Core.Text;

namespace Pipeline.Core.Reading;

/// <summary>
/// Reads the fields of one JSON object with type checks, remembering which fields were used so
/// that the rest can be reported as unknown (with a "did you mean" suggestion).
/// </summary>
internal sealed class ObjectFields
{
    // Which of the object's own fields were read, by position: a task reader asks for dozens of
    // names an object mostly does not have, and a set of every name asked for cost more than the
    // reading (a 2,000-task workflow spent an eighth of its validation hashing names).
    private bool[]? _used;

    public ObjectFields(JsonObject obj, string owner, DiagnosticBag diagnostics)
    {
        Object = obj;
        Owner = owner;
        Diagnostics = diagnostics;
    }

    public JsonObject Object { get; }

    /// <summary>How messages name this object: "the workflow", "task 'build'", "the trigger".</summary>
    public string Owner { get; }

    public DiagnosticBag Diagnostics { get; }

    public JsonNode? Get(string name)
    {
        var properties = Object.Properties;
        for (var i = 0; i < properties.Count; i++)
            if (properties[i].Name == name)
            {
                (_used ??= new bool[properties.Count])[i] = true;
                return properties[i].Value;
            }
        return null;
    }

    public bool Has(string name) => Object.Find(name) is not null;

    public SourceSpan KeySpan(string name) => Object.Find(name)?.NameToken.Span ?? Object.Span;

    public LocatedString? String(string name, bool required = false, string? hint = null)
    {
        var node = Get(name);
        if (node is null)
        {
            if (required) Missing(name, hint);
            return null;
        }
        if (node is JsonString s) return s.Located;
        WrongType(name, node, "a string");
        return null;
    }

    /// <summary>A string, number or boolean as text (environment values: <c>"PORT": 8080</c> is fine).</summary>
    public LocatedString? Scalar(JsonNode node, string what)
    {
        switch (node)
        {
            case JsonString s: return s.Located;
            case JsonNumber n: return LocatedString.Synthetic(n.Raw, n.Span);
            case JsonBoolean b: return LocatedString.Synthetic(b.Value ? "true" : "false", b.Span);
            case JsonNull nl: return LocatedString.Synthetic(string.Empty, nl.Span);
            default:
                Diagnostics.Report(Descriptors.WrongType, node.Span, $"{what} must be a string, number or boolean, not {Article(node.KindName)}",
                    "nested values are not allowed here; use a string");
                return null;
        }
    }

    public bool? Bool(string name)
    {
        var node = Get(name);
        if (node is null) return null;
        if (node is JsonBoolean b) return b.Value;
        WrongType(name, node, "true or false");
        return null;
    }

    public Located<int>? Int(string name, bool required = false)
    {
        var node = Get(name);
        if (node is null)
        {
            if (required) Missing(name, null);
            return null;
        }
        if (node is JsonNumber n && n.TryGetInt64(out var v) && v >= int.MinValue && v <= int.MaxValue)
            return new Located<int>((int)v, n.Span);
        if (node is JsonNumber big && big.TryGetInt64(out _))
        {
            Diagnostics.Report(Descriptors.InvalidValue, big.Span, $"\"{name}\" of {Owner} is out of range", "use a smaller number");
            return null;
        }
        WrongType(name, node, "a whole number");
        return null;
    }

    /// <summary>A duration in seconds: a whole number, or a string such as "90s", "5m", "2h", "500ms" (rounded up to seconds).</summary>
    public Located<int>? Seconds(string name)
    {
        var node = Get(name);
        if (node is null) return null;
        if (node is JsonNumber n)
        {
            if (n.TryGetInt64(out var v)) return new Located<int>((int)Math.Max(int.MinValue, Math.Min(int.MaxValue, v)), n.Span);
            WrongType(name, node, "a whole number of seconds");
            return null;
        }
        if (node is JsonString s && Durations.TryParseMilliseconds(s.Value, out var ms))
            return new Located<int>((int)Math.Min(int.MaxValue, (ms + 999) / 1000), s.Span);
        Diagnostics.Report(Descriptors.WrongType, node.Span, $"\"{name}\" of {Owner} must be a number of seconds or a duration such as \"5m\", not {Describe(node)}",
            "write 300 or \"5m\"");
        return null;
    }

    /// <summary>A duration in milliseconds: a whole number, or a string such as "500ms", "2s", "1m".</summary>
    public Located<int>? Milliseconds(string name)
    {
        var node = Get(name);
        if (node is null) return null;
        if (node is JsonNumber n && n.TryGetInt64(out var v)) return new Located<int>((int)Math.Max(int.MinValue, Math.Min(int.MaxValue, v)), n.Span);
        if (node is JsonString s && Durations.TryParseMilliseconds(s.Value, out var ms)) return new Located<int>((int)Math.Min(int.MaxValue, ms), s.Span);
        Diagnostics.Report(Descriptors.WrongType, node.Span, $"\"{name}\" of {Owner} must be a number of milliseconds or a duration such as \"2s\", not {Describe(node)}",
            "write 2000 or \"2s\"");
        return null;
    }

    /// <summary>A string or a list of strings (depends_on: "build" and depends_on: ["build"] mean the same).</summary>
    public IReadOnlyList<LocatedString> StringList(string name)
    {
        var node = Get(name);
        if (node is null) return Array.Empty<LocatedString>();
        if (node is JsonString single) return new[] { single.Located };
        if (node is JsonArray array)
        {
            var list = new List<LocatedString>();
            foreach (var item in array.Items)
            {
                if (item is JsonString s) list.Add(s.Located);
                else Diagnostics.Report(Descriptors.WrongType, item.Span, $"items of \"{name}\" in {Owner} must be strings, not {Article(item.KindName)}", "write [\"a\", \"b\"]");
            }
            return list;
        }
        WrongType(name, node, "a string or a list of strings");
        return Array.Empty<LocatedString>();
    }

    public IReadOnlyList<TaskRef> Refs(string name) =>
        StringList(name).Select(s => new TaskRef(s.Value, s.Span)).ToList();

    /// <summary>An object of name: scalar pairs (environment, headers, parameters).</summary>
    public IReadOnlyList<NamedValue> Pairs(string name)
    {
        var node = Get(name);
        if (node is null) return Array.Empty<NamedValue>();
        if (node is not JsonObject obj)
        {
            WrongType(name, node, "an object of name: value pairs");
            return Array.Empty<NamedValue>();
        }
        var list = new List<NamedValue>();
        foreach (var p in obj.Properties)
        {
            var value = Scalar(p.Value, $"\"{name}.{p.Name}\"");
            if (value is not null) list.Add(new NamedValue(p.NameToken, value));
        }
        return list;
    }

    /// <summary>A string that must be one of <paramref name="allowed"/>.</summary>
    public LocatedString? Choice(string name, IReadOnlyList<string> allowed, bool ignoreCase = false)
    {
        var value = String(name);
        if (value is null) return null;
        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (allowed.Any(a => string.Equals(a, value.Value, comparison))) return value;
        var suggestion = Suggest.Closest(value.Value, allowed);
        Diagnostics.Report(Descriptors.InvalidValue, value.Span, $"\"{name}\" of {Owner} is \"{value.Value}\"; allowed: {string.Join(", ", allowed)}",
            suggestion is null ? $"use one of {string.Join(", ", allowed)}" : $"did you mean \"{suggestion}\"?");
        return null;
    }

    public void Missing(string name, string? hint) =>
        Diagnostics.Report(Descriptors.RequiredField, Object.Span, $"{Owner} has no \"{name}\"", hint ?? $"add \"{name}\"");

    public void WrongType(string name, JsonNode node, string expected) =>
        Diagnostics.Report(Descriptors.WrongType, node.Span, $"\"{name}\" of {Owner} must be {expected}, not {Describe(node)}", $"write \"{name}\" as {expected}");

    /// <summary>Reports every field not read so far. <paramref name="elsewhere"/> names where a misplaced field belongs.</summary>
    public void ReportUnknown(IEnumerable<string> allowed, Func<string, string?>? elsewhere = null)
    {
        List<string>? allowedList = null;
        for (var i = 0; i < Object.Properties.Count; i++)
        {
            var p = Object.Properties[i];
            if (_used is not null && _used[i]) continue;
            allowedList ??= allowed.ToList();
            if (allowedList.Contains(p.Name)) continue;
            var home = elsewhere?.Invoke(p.Name);
            string hint;
            if (home is not null) hint = home;
            else if (Suggest.Closest(p.Name, allowedList) is { } s) hint = $"did you mean \"{s}\"?";
            else hint = $"known fields: {string.Join(", ", allowedList)}";
            Diagnostics.Report(Descriptors.UnknownField, p.NameToken.Span, $"unknown field \"{p.Name}\" in {Owner}; it is ignored", hint);
        }
    }

    public static string Describe(JsonNode node) => node switch
    {
        JsonString s => $"the string \"{Shorten(s.Value)}\"",
        JsonNumber n => $"the number {n.Raw}",
        JsonBoolean b => b.Value ? "true" : "false",
        JsonNull => "null",
        _ => Article(node.KindName),
    };

    public static string Article(string kind) => kind switch
    {
        "object" => "an object",
        "array" => "an array",
        _ => "a " + kind,
    };

    private static string Shorten(string s) => s.Length <= 30 ? s : s.Substring(0, 27) + "...";
}

/// <summary>Durations written as text: "500ms", "30s", "5m", "2h", "1d", or a plain number (in the caller's unit).</summary>
public static class Durations
{
    public static bool TryParseMilliseconds(string text, out long milliseconds)
    {
        milliseconds = 0;
        var t = text.Trim();
        var unitStart = 0;
        while (unitStart < t.Length && char.IsDigit(t[unitStart])) unitStart++;
        if (unitStart == 0 || unitStart > 12) return false;
        var number = long.Parse(t.Substring(0, unitStart), CultureInfo.InvariantCulture);
        long factor;
        switch (t.Substring(unitStart))
        {
            case "ms": factor = 1; break;
            case "s": factor = 1000; break;
            case "m": factor = 60_000; break;
            case "h": factor = 3_600_000; break;
            case "d": factor = 86_400_000; break;
            default: return false;
        }
        milliseconds = number * factor;
        return true;
    }
}
