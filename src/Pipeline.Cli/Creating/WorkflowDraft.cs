using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipeline.Cli.Creating;

/// <summary>
/// The answers of <c>workflow create</c>, from flags and prompts alike, and the workflow file they
/// make (<see cref="ToJson"/>). Only what was answered is written, so the file stays as short as the
/// workflow is.
/// </summary>
public sealed record WorkflowDraft(string Name)
{
    public string Version { get; init; } = "1.0.0";
    public string? Description { get; init; }
    public string? Category { get; init; }

    /// <summary>manual, schedule, webhook or file_change.</summary>
    public string Trigger { get; init; } = "manual";
    public string? Cron { get; init; }
    public string? Timezone { get; init; }
    public string? WebhookPath { get; init; }
    public IReadOnlyList<string> WatchPaths { get; init; } = [];

    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];
    public IReadOnlyList<string> Secrets { get; init; } = [];

    /// <summary>Channel names (slack, email, webhook, console); none writes no notifications.</summary>
    public IReadOnlyList<string> Channels { get; init; } = [];

    /// <summary>failure, success or completion: when the channels hear of a run.</summary>
    public string NotifyOn { get; init; } = "failure";
    public IReadOnlyList<TaskDraft> Tasks { get; init; } = [];

    public static IReadOnlyList<string> Triggers { get; } = ["manual", "schedule", "webhook", "file_change"];
    public static IReadOnlyList<string> ChannelNames { get; } = ["slack", "email", "webhook", "console"];
    public static IReadOnlyList<string> NotifyEvents { get; } = ["failure", "success", "completion"];

    /// <summary>The workflow file, with <c>$schema</c> pointing at <paramref name="schemaReference"/> for editor completion.</summary>
    public string ToJson(string schemaReference)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("$schema", schemaReference);
            w.WriteString("name", Name);
            w.WriteString("version", Version);
            if (!string.IsNullOrWhiteSpace(Description)) w.WriteString("description", Description);
            if (!string.IsNullOrWhiteSpace(Category)) w.WriteString("category", Category);
            WriteTrigger(w);
            if (Environment.Count > 0)
            {
                w.WriteStartObject("environment");
                foreach (var (key, value) in Environment) w.WriteString(key, value);
                w.WriteEndObject();
            }
            if (Secrets.Count > 0) WriteList(w, "secrets", Secrets);
            w.WriteStartArray("tasks");
            foreach (var task in Tasks) WriteTask(w, task);
            w.WriteEndArray();
            if (Channels.Count > 0)
            {
                w.WriteStartObject("notifications");
                WriteList(w, "channels", Channels);
                w.WriteBoolean("on_" + NotifyOn, true);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private void WriteTrigger(Utf8JsonWriter w)
    {
        w.WriteStartObject("trigger");
        w.WriteString("type", Trigger);
        switch (Trigger)
        {
            case "schedule":
                w.WriteStartObject("config");
                w.WriteString("schedule", Cron ?? "0 2 * * *");
                if (!string.IsNullOrWhiteSpace(Timezone)) w.WriteString("timezone", Timezone);
                w.WriteEndObject();
                break;
            case "webhook":
                w.WriteStartObject("config");
                w.WriteString("path", WebhookPath ?? "/hooks/" + Name);
                w.WriteEndObject();
                break;
            case "file_change":
                w.WriteStartObject("config");
                WriteList(w, "paths", WatchPaths.Count > 0 ? WatchPaths : ["src/**"]);
                w.WriteEndObject();
                break;
        }
        w.WriteEndObject();
    }

    private static void WriteTask(Utf8JsonWriter w, TaskDraft task)
    {
        w.WriteStartObject();
        w.WriteString("id", task.Id);
        w.WriteString("type", task.Type);
        foreach (var (key, value) in task.Fields) w.WriteString(key, value);
        if (task.DependsOn.Count > 0) WriteList(w, "depends_on", task.DependsOn);
        if (!string.IsNullOrWhiteSpace(task.Timeout))
        {
            // Plain seconds stay a number, as the samples write them; "10m" stays a string.
            if (int.TryParse(task.Timeout, out var seconds)) w.WriteNumber("timeout", seconds);
            else w.WriteString("timeout", task.Timeout);
        }
        if (task.Attempts > 1)
        {
            w.WriteStartObject("retry");
            w.WriteNumber("attempts", task.Attempts);
            w.WriteNumber("delay", 1000);
            w.WriteString("backoff", "exponential");
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteList(Utf8JsonWriter w, string name, IEnumerable<string> items)
    {
        w.WriteStartArray(name);
        foreach (var item in items) w.WriteStringValue(item);
        w.WriteEndArray();
    }
}
