using System.Collections.Generic;
using Pipeline.Core.Text;

namespace Pipeline.Core.Yaml;

/// <summary>A YAML node with its span: scalar, mapping or sequence (aliases are resolved while reading).</summary>
public abstract class YamlNode
{
    protected YamlNode(SourceSpan span) => Span = span;
    public SourceSpan Span { get; }
    public abstract string KindName { get; }
}

public enum ScalarStyle { Plain, SingleQuoted, DoubleQuoted, Literal, Folded }

public sealed class YamlScalar : YamlNode
{
    public YamlScalar(LocatedString value, ScalarStyle style) : base(value.Span)
    {
        Located = value;
        Style = style;
    }

    public string Value => Located.Value;
    public LocatedString Located { get; }
    public ScalarStyle Style { get; }

    /// <summary>A plain null (<c>~</c>, <c>null</c> or nothing), per the YAML core schema.</summary>
    public bool IsNull => Style == ScalarStyle.Plain && (Value.Length == 0 || Value == "~" || Value == "null" || Value == "Null" || Value == "NULL");

    /// <summary>A plain true/false per the YAML core schema.</summary>
    public bool? AsBool => Style != ScalarStyle.Plain ? null : Value switch
    {
        "true" or "True" or "TRUE" => true,
        "false" or "False" or "FALSE" => false,
        _ => null,
    };

    public override string KindName => IsNull ? "null" : "scalar";
}

public sealed class YamlMapping : YamlNode
{
    public YamlMapping(SourceSpan span, IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> entries) : base(span) => Entries = entries;

    /// <summary>Entries in file order; a duplicate key is reported by the reader and only its first value kept.</summary>
    public IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> Entries { get; }

    public YamlNode? Find(string key)
    {
        foreach (var e in Entries)
            if (e.Key.Value == key) return e.Value;
        return null;
    }

    public YamlScalar? KeyOf(string key)
    {
        foreach (var e in Entries)
            if (e.Key.Value == key) return e.Key;
        return null;
    }

    public override string KindName => "mapping";
}

public sealed class YamlSequence : YamlNode
{
    public YamlSequence(SourceSpan span, IReadOnlyList<YamlNode> items) : base(span) => Items = items;
    public IReadOnlyList<YamlNode> Items { get; }
    public override string KindName => "list";
}
