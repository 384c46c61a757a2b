using System.Reflection;

namespace Pipeline.Cli.Creating;

/// <summary>
/// The workflow JSON Schema (the repository's <c>schemas/workflow.schema.json</c>, embedded in the
/// tool). Created workflow files point <c>$schema</c> at a copy beside them rather than at a URL, so
/// editors complete fields offline and the schema matches the tool that wrote the file.
/// </summary>
public static class SchemaFile
{
    public const string Name = "workflow.schema.json";

    /// <summary>Writes the schema into <paramref name="folder"/> unless the same text is there; returns its path when written.</summary>
    public static string? WriteBeside(string folder)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Pipeline.Cli.Schemas." + Name)!;
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        var path = Path.Combine(folder, Name);
        if (File.Exists(path) && File.ReadAllText(path) == text) return null;
        File.WriteAllText(path, text);
        return path;
    }
}
