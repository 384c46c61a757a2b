using System.Text.Json;
using Pipeline.Core.Diagnostics;

namespace Pipeline.Cli;

/// <summary>
/// Settings from <c>.workflow-config.json</c> (or --config): severity overrides per diagnostic
/// code, e.g. <c>{ "diagnostics": { "WF2008": "none", "WF3004": "warning" } }</c>,
/// <c>"warnings_as_errors": true</c>, and notification channel settings for every workflow,
/// e.g. <c>{ "notifications": { "email": { "smtp_host": "mail.internal", "to": ["ops@example.com"] } } }</c>
/// (a workflow's own settings win; values may use <c>${env.X}</c> and the workflow's <c>${secrets.X}</c>).
/// </summary>
public sealed class CliConfig
{
    public const string DefaultFileName = ".workflow-config.json";

    public Dictionary<string, Severity?> SeverityOverrides { get; } = new(StringComparer.OrdinalIgnoreCase);
    public bool WarningsAsErrors { get; private set; }

    /// <summary>Channel settings by channel type, flattened as in a workflow (<c>headers.X-A</c>, lists as "a, b").</summary>
    public Dictionary<string, IReadOnlyDictionary<string, string>> NotificationDefaults { get; } = new(StringComparer.Ordinal);

    /// <summary>Loads the file; problems are returned as diagnostics (WF4008), never thrown.</summary>
    public static CliConfig Load(FileInfo? explicitFile, List<Diagnostic> problems)
    {
        var config = new CliConfig();
        var file = explicitFile ?? new FileInfo(DefaultFileName);
        if (!file.Exists)
        {
            if (explicitFile is not null)
                problems.Add(new Diagnostic(Descriptors.ConfigInvalid, Core.Text.SourceSpan.FileStart(explicitFile.ToString()), "configuration file not found", "check the --config path"));
            return config;
        }
        var path = explicitFile?.ToString() ?? DefaultFileName;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file.FullName), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (doc.RootElement.TryGetProperty("diagnostics", out var diagnostics) && diagnostics.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in diagnostics.EnumerateObject())
                {
                    var value = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null;
                    Severity? severity = value switch
                    {
                        "none" or "off" => null,
                        "info" => Severity.Info,
                        "warning" => Severity.Warning,
                        "error" => Severity.Error,
                        _ => throw new FormatException($"\"{p.Name}\": \"{value}\" is not one of none, info, warning, error"),
                    };
                    if (Descriptors.Find(p.Name.ToUpperInvariant()) is null) throw new FormatException($"\"{p.Name}\" is not a diagnostic code");
                    config.SeverityOverrides[p.Name] = severity;
                }
            }
            if (doc.RootElement.TryGetProperty("warnings_as_errors", out var wae))
                config.WarningsAsErrors = wae.ValueKind == JsonValueKind.True;
            if (doc.RootElement.TryGetProperty("notifications", out var notifications))
            {
                if (notifications.ValueKind != JsonValueKind.Object) throw new FormatException("\"notifications\" must be an object of channel settings, e.g. { \"slack\": { \"webhook_url\": \"...\" } }");
                foreach (var channel in notifications.EnumerateObject())
                {
                    if (!Core.Model.NotificationChannel.KnownTypes.Contains(channel.Name))
                        throw new FormatException($"\"notifications.{channel.Name}\" is not a channel (channels: {string.Join(", ", Core.Model.NotificationChannel.KnownTypes)})");
                    if (channel.Value.ValueKind != JsonValueKind.Object) throw new FormatException($"\"notifications.{channel.Name}\" must be an object of settings");
                    var values = new Dictionary<string, string>(StringComparer.Ordinal);
                    Flatten(channel.Value, "", values);
                    config.NotificationDefaults[channel.Name] = values;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or FormatException or IOException or UnauthorizedAccessException)
        {
            problems.Add(new Diagnostic(Descriptors.ConfigInvalid, Core.Text.SourceSpan.FileStart(path), $"cannot use the configuration file: {ex.Message}",
                "see the README's Configuration section for the format"));
        }
        return config;
    }

    private static void Flatten(JsonElement obj, string prefix, Dictionary<string, string> values)
    {
        foreach (var p in obj.EnumerateObject())
        {
            var name = prefix + p.Name;
            switch (p.Value.ValueKind)
            {
                case JsonValueKind.Object: Flatten(p.Value, name + ".", values); break;
                case JsonValueKind.Array: values[name] = string.Join(", ", p.Value.EnumerateArray().Select(Scalar)); break;
                default: values[name] = Scalar(p.Value); break;
            }
        }
    }

    private static string Scalar(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString() ?? "" : e.GetRawText();

    /// <summary>Applies overrides; returns null for a diagnostic turned off.</summary>
    public Diagnostic? Apply(Diagnostic d)
    {
        if (SeverityOverrides.TryGetValue(d.Code, out var severity))
        {
            if (severity is null) return null;
            d = d.WithSeverity(severity.Value);
        }
        if (WarningsAsErrors && d.Severity == Severity.Warning) d = d.WithSeverity(Severity.Error);
        return d;
    }
}
