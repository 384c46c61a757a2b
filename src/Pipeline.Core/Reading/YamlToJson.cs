using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Pipeline.Core.Json;
using Pipeline.Core.Yaml;

namespace Pipeline.Core.Reading;

/// <summary>
/// A YAML tree as the JSON tree the workflow reader reads, spans kept: mappings become objects,
/// sequences arrays; a plain scalar is null, a boolean or a number when YAML's core schema says so
/// (<c>~</c>, <c>true</c>, <c>42</c>, <c>1.5</c>), and any other scalar (quoted, or a block) a string.
/// </summary>
internal static class YamlToJson
{
    private static readonly Regex Number = new(@"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$", RegexOptions.CultureInvariant);

    public static JsonNode Convert(YamlNode node) => node switch
    {
        YamlMapping m => new JsonObject(m.Span, m.Entries.Select(e => new JsonProperty(e.Key.Located, Convert(e.Value))).ToList()),
        YamlSequence s => new JsonArray(s.Span, s.Items.Select(Convert).ToList()),
        YamlScalar { IsNull: true } n => new JsonNull(n.Span),
        YamlScalar { AsBool: { } b } x => new JsonBoolean(x.Span, b),
        YamlScalar { Style: ScalarStyle.Plain } x when Number.IsMatch(x.Value) => new JsonNumber(x.Span, x.Value.TrimStart('+')),
        YamlScalar x => new JsonString(x.Located),
        _ => new JsonNull(node.Span),
    };
}
