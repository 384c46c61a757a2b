using System.Text.Json;

namespace Pipeline.Engine.Caching;

/// <summary>A file a cache entry holds: where it goes back (relative to the task's working directory) and its Unix mode.</summary>
public sealed record CachedFile(string Path, long Size, int Mode);

/// <summary>One line of a key: what went in (<c>input:src/app.ts</c>, <c>env:NODE_ENV</c>, <c>needs:build</c>) and its hash.</summary>
public sealed record KeyPart(string Name, string Hash);

/// <summary>
/// What <c>entry.json</c> in a cache entry says: the task it came from, its <c>$WORKFLOW_OUTPUT</c>
/// values, the files it generated and what its key was made of (to tell why a later run missed).
/// Never a secret: entries whose outputs, log or files hold one are not written.
/// </summary>
public sealed record CacheEntry
{
    public const int FormatVersion = 1;

    public required string Key { get; init; }
    public required string Workflow { get; init; }
    public required string Task { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>How long the task took when it ran: what a hit saved.</summary>
    public required TimeSpan Duration { get; init; }
    public IReadOnlyDictionary<string, string> Outputs { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<CachedFile> Files { get; init; } = [];
    public IReadOnlyList<KeyPart> Parts { get; init; } = [];

    /// <summary>The entry's folder (set when read).</summary>
    public string Directory { get; init; } = "";

    public void Write(string path)
    {
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteNumber("version", FormatVersion);
        w.WriteString("key", Key);
        w.WriteString("workflow", Workflow);
        w.WriteString("task", Task);
        w.WriteString("created_at", CreatedAt);
        w.WriteNumber("duration_ms", (long)Duration.TotalMilliseconds);
        w.WriteStartObject("outputs");
        foreach (var (k, v) in Outputs) w.WriteString(k, v);
        w.WriteEndObject();
        w.WriteStartArray("files");
        foreach (var f in Files)
        {
            w.WriteStartObject();
            w.WriteString("path", f.Path);
            w.WriteNumber("size", f.Size);
            w.WriteNumber("mode", f.Mode);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("key_parts");
        foreach (var p in Parts)
        {
            w.WriteStartArray();
            w.WriteStringValue(p.Name);
            w.WriteStringValue(p.Hash);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Reads an entry; null when it is missing, of another format version, or damaged (a miss, never an error).</summary>
    public static CacheEntry? Read(string directory)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, "entry.json")));
            var root = doc.RootElement;
            if (root.GetProperty("version").GetInt32() != FormatVersion) return null;
            return new CacheEntry
            {
                Key = root.GetProperty("key").GetString()!,
                Workflow = root.GetProperty("workflow").GetString()!,
                Task = root.GetProperty("task").GetString()!,
                CreatedAt = root.GetProperty("created_at").GetDateTimeOffset(),
                Duration = TimeSpan.FromMilliseconds(root.GetProperty("duration_ms").GetInt64()),
                Outputs = root.GetProperty("outputs").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal),
                Files = root.GetProperty("files").EnumerateArray()
                    .Select(f => new CachedFile(f.GetProperty("path").GetString()!, f.GetProperty("size").GetInt64(), f.GetProperty("mode").GetInt32())).ToList(),
                Parts = root.GetProperty("key_parts").EnumerateArray().Select(p => new KeyPart(p[0].GetString()!, p[1].GetString()!)).ToList(),
                Directory = directory,
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
