using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Pipeline.Engine.Json;

/// <summary>
/// The JSON every project writes and reads outside the workflow files: reports, history, status,
/// trigger data, command output. Types come from <see cref="PipelineJsonContext"/> (source-generated)
/// and never from reflection, so the natively compiled tool writes exactly what the tests see; a type
/// missing from the context fails in every build, not only in the compiled one.
/// </summary>
public static class PipelineJson
{
    /// <summary>Indented, with non-ASCII text and HTML characters as they are (people and jq read it).</summary>
    public static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = PipelineJsonContext.Default,
    };

    /// <summary>One line, for values stored in a column or sent over HTTP.</summary>
    public static readonly JsonSerializerOptions Compact = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = PipelineJsonContext.Default,
    };

    public static string Serialize<T>(T value, bool indented = false) =>
        JsonSerializer.Serialize(value, Info<T>(indented ? Indented : Compact));

    public static T? Deserialize<T>(string json) => JsonSerializer.Deserialize(json, Info<T>(Compact));

    public static JsonTypeInfo<T> Info<T>(JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
}

/// <summary>The types <see cref="PipelineJson"/> writes; values of <c>object</c> type may be any of them.</summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(decimal))]
[JsonSerializable(typeof(short))]
[JsonSerializable(typeof(byte))]
[JsonSerializable(typeof(float))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, string?>))]
[JsonSerializable(typeof(Dictionary<string, object?>))]
[JsonSerializable(typeof(List<Dictionary<string, object?>>))]
[JsonSerializable(typeof(List<Dictionary<string, string?>>))]
[JsonSerializable(typeof(List<Dictionary<string, string>>))]
[JsonSerializable(typeof(List<object?>))]
[JsonSerializable(typeof(List<List<string>>))]
[JsonSerializable(typeof(DateTimeOffset))]
[JsonSerializable(typeof(List<DateTimeOffset>))]
public sealed partial class PipelineJsonContext : JsonSerializerContext;
