using System.Collections.Generic;
using System.Globalization;
using Pipeline.Core.Text;

namespace Pipeline.Core.Json;

/// <summary>
/// A JSON value with the span it was read from. A small tree of our own, because the model
/// library must stay free of System.Text.Json (it is loaded inside the compiler) and because every
/// node needs a line and column for diagnostics.
/// </summary>
public abstract class JsonNode
{
    protected JsonNode(SourceSpan span) => Span = span;

    public SourceSpan Span { get; }

    /// <summary>The JSON kind name used in messages: object, array, string, number, boolean, null.</summary>
    public abstract string KindName { get; }
}

public sealed class JsonObject : JsonNode
{
    public JsonObject(SourceSpan span, IReadOnlyList<JsonProperty> properties) : base(span) => Properties = properties;

    /// <summary>Properties in file order. A duplicate key is reported by the reader and only its first occurrence kept.</summary>
    public IReadOnlyList<JsonProperty> Properties { get; }

    public override string KindName => "object";

    public JsonProperty? Find(string name)
    {
        foreach (var p in Properties)
            if (p.Name == name) return p;
        return null;
    }
}

public sealed class JsonProperty
{
    public JsonProperty(LocatedString name, JsonNode value)
    {
        NameToken = name;
        Value = value;
    }

    public string Name => NameToken.Value;
    public LocatedString NameToken { get; }
    public JsonNode Value { get; }
}

public sealed class JsonArray : JsonNode
{
    public JsonArray(SourceSpan span, IReadOnlyList<JsonNode> items) : base(span) => Items = items;

    public IReadOnlyList<JsonNode> Items { get; }

    public override string KindName => "array";
}

public sealed class JsonString : JsonNode
{
    public JsonString(LocatedString value) : base(value.Span) => Located = value;

    public string Value => Located.Value;

    /// <summary>The value with a map back to file offsets, for diagnostics inside the string.</summary>
    public LocatedString Located { get; }

    public override string KindName => "string";
}

public sealed class JsonNumber : JsonNode
{
    public JsonNumber(SourceSpan span, string raw) : base(span) => Raw = raw;

    /// <summary>The number as written, so integers are not passed through a double.</summary>
    public string Raw { get; }

    public double Value => double.Parse(Raw, NumberStyles.Float, CultureInfo.InvariantCulture);

    public bool TryGetInt64(out long value) => long.TryParse(Raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public override string KindName => "number";
}

public sealed class JsonBoolean : JsonNode
{
    public JsonBoolean(SourceSpan span, bool value) : base(span) => Value = value;

    public bool Value { get; }

    public override string KindName => "boolean";
}

public sealed class JsonNull : JsonNode
{
    public JsonNull(SourceSpan span) : base(span) { }

    public override string KindName => "null";
}
