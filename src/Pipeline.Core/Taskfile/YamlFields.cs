using System;
using System.Collections.Generic;
using System.Linq;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Text;
using Pipeline.Core.Yaml;

namespace Pipeline.Core.Taskfile;

/// <summary>Typed access to the keys of one YAML mapping, with unknown-key reporting (as ObjectFields does for JSON).</summary>
internal sealed class YamlFields
{
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public YamlFields(YamlMapping map, string owner, DiagnosticBag bag)
    {
        Map = map;
        Owner = owner;
        Bag = bag;
    }

    public YamlMapping Map { get; }
    public string Owner { get; }
    public DiagnosticBag Bag { get; }

    public YamlNode? Get(string key)
    {
        _used.Add(key);
        return Map.Find(key);
    }

    public bool Has(string key) => Map.Find(key) is not null;

    public LocatedString? String(string key)
    {
        var node = Get(key);
        if (node is null || node is YamlScalar { IsNull: true }) return null;
        if (node is YamlScalar s) return s.Located;
        WrongType(key, node, "a string");
        return null;
    }

    public bool Bool(string key)
    {
        var node = Get(key);
        if (node is null || node is YamlScalar { IsNull: true }) return false;
        if (node is YamlScalar { AsBool: { } b }) return b;
        WrongType(key, node, "true or false");
        return false;
    }

    /// <summary>A scalar or a list of scalars.</summary>
    public IReadOnlyList<LocatedString> StringList(string key)
    {
        var node = Get(key);
        return node is null ? Array.Empty<LocatedString>() : List(node, key);
    }

    public IReadOnlyList<LocatedString> List(YamlNode node, string key)
    {
        if (node is YamlScalar { IsNull: true }) return Array.Empty<LocatedString>();
        if (node is YamlScalar s) return new[] { s.Located };
        if (node is YamlSequence seq)
        {
            var list = new List<LocatedString>();
            foreach (var item in seq.Items)
            {
                if (item is YamlScalar si) list.Add(si.Located);
                else Bag.Report(Descriptors.WrongType, item.Span, $"items of \"{key}\" in {Owner} must be strings, not a {item.KindName}", "write each item as a plain string");
            }
            return list;
        }
        WrongType(key, node, "a string or a list of strings");
        return Array.Empty<LocatedString>();
    }

    public LocatedString? Choice(string key, IReadOnlyList<string> allowed)
    {
        var value = String(key);
        if (value is null || allowed.Contains(value.Value)) return value;
        var suggestion = Suggest.Closest(value.Value, allowed);
        Bag.Report(Descriptors.InvalidValue, value.Span, $"\"{key}\" of {Owner} is \"{value.Value}\"; allowed: {string.Join(", ", allowed)}",
            suggestion is null ? $"use one of {string.Join(", ", allowed)}" : $"did you mean \"{suggestion}\"?");
        return null;
    }

    public void WrongType(string key, YamlNode node, string expected) =>
        Bag.Report(Descriptors.WrongType, node.Span, $"\"{key}\" of {Owner} must be {expected}, not a {node.KindName}", $"write \"{key}\" as {expected}");

    public void ReportUnknown(IReadOnlyList<string> allowed)
    {
        foreach (var e in Map.Entries)
        {
            if (_used.Contains(e.Key.Value) || allowed.Contains(e.Key.Value)) continue;
            var suggestion = Suggest.Closest(e.Key.Value, allowed);
            Bag.Report(Descriptors.UnknownField, e.Key.Span, $"unknown key \"{e.Key.Value}\" in {Owner}; it is ignored",
                suggestion is not null ? $"did you mean \"{suggestion}\"?" : $"known keys: {string.Join(", ", allowed)}");
        }
    }
}
