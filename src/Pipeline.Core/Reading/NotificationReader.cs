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
/// <c>notifications</c> of a workflow or a task: the channels (names, or objects with their settings),
/// each channel's settings beside them under its name, when to send, delivery limits, and (for a
/// workflow) <c>alerts</c>. Channel settings are flattened: <c>"headers": { "X-A": "1" }</c> becomes
/// <c>headers.X-A</c>, and <c>"to": ["a@x", "b@y"]</c> becomes <c>a@x, b@y</c>.
/// </summary>
internal static class NotificationReader
{
    private static readonly string[] WhenFields = { "channels", "on_completion", "on_failure", "on_success" };
    private static readonly string[] WorkflowFields = WhenFields.Concat(new[] { "timeout", "attempts", "retry_delay", "link", "alerts" }).Concat(NotificationChannel.KnownTypes).ToArray();
    private static readonly string[] AlertFields = { "channels", "failed", "failure_rate", "duration", "task_failures", "throttle" };

    public static NotificationSettings? Read(ObjectFields owner, bool workflowLevel)
    {
        var node = owner.Get("notifications");
        if (node is null) return null;
        if (node is not JsonObject obj)
        {
            owner.WrongType("notifications", node, "an object");
            return null;
        }
        var bag = owner.Diagnostics;
        var f = new ObjectFields(obj, workflowLevel ? "notifications" : $"notifications of {owner.Owner}", bag);

        // Settings written beside "channels", under each channel's name.
        var beside = new Dictionary<string, (List<NamedValue> Settings, SourceSpan Span)>(StringComparer.Ordinal);
        foreach (var type in NotificationChannel.KnownTypes)
        {
            if (f.Get(type) is not { } settingsNode) continue;
            if (settingsNode is JsonObject so) beside[type] = (Settings(so, type, bag), so.Span);
            else f.WrongType(type, settingsNode, $"an object with the {type} channel's settings");
        }

        var channels = new List<NotificationChannel>();
        var channelsNode = f.Get("channels");
        if (channelsNode is JsonArray array)
        {
            foreach (var item in array.Items)
            {
                if (item is JsonString s)
                {
                    if (CheckType(s.Located, bag))
                        channels.Add(new NotificationChannel(s.Located, beside.TryGetValue(s.Value, out var b) ? b.Settings : new List<NamedValue>(), s.Span));
                }
                else if (item is JsonObject o)
                {
                    var cf = new ObjectFields(o, "a notification channel", bag);
                    var type = cf.String("type", required: true, hint: "add \"type\": one of email, slack, webhook, console");
                    if (type is null || !CheckType(type, bag)) continue;
                    var inline = Settings(o, type.Value, bag, skip: "type");
                    if (beside.TryGetValue(type.Value, out var b))
                        inline.AddRange(b.Settings.Where(x => inline.All(i => i.Name.Value != x.Name.Value)));
                    channels.Add(new NotificationChannel(type, inline, o.Span));
                }
                else bag.Report(Descriptors.WrongType, item.Span, $"a channel must be a name or an object, not {ObjectFields.Describe(item)}", "write \"channels\": [\"email\"]");
            }
            foreach (var entry in beside)
                if (channels.All(c => c.Type.Value != entry.Key))
                    bag.Report(Descriptors.InvalidValue, entry.Value.Span, $"settings for the {entry.Key} channel, which \"channels\" does not list; they are not used",
                        $"add \"{entry.Key}\" to \"channels\"", Severity.Warning);
        }
        else if (channelsNode is not null) f.WrongType("channels", channelsNode, "a list of channels");
        else
            // Without "channels", the channels are those whose settings are written.
            foreach (var entry in beside)
                channels.Add(new NotificationChannel(LocatedString.Synthetic(entry.Key, entry.Value.Span), entry.Value.Settings, entry.Value.Span));

        var result = new NotificationSettings
        {
            Channels = channels,
            OnCompletion = f.Bool("on_completion") ?? false,
            OnFailure = f.Bool("on_failure") ?? false,
            OnSuccess = f.Bool("on_success") ?? false,
            Timeout = workflowLevel ? Positive(f, f.Seconds("timeout"), "timeout", "30") : null,
            Attempts = workflowLevel ? Positive(f, f.Int("attempts"), "attempts", "3") : null,
            RetryDelay = workflowLevel ? f.Milliseconds("retry_delay") : null,
            Link = workflowLevel ? f.String("link") : null,
            Alerts = workflowLevel ? ReadAlerts(f) : null,
            Span = obj.Span,
        };
        if (!result.OnCompletion && !result.OnFailure && !result.OnSuccess && result.Alerts is null && channels.Count > 0)
            bag.Report(Descriptors.InvalidValue, obj.Span, $"{f.Owner} name channels but no event: nothing will be sent",
                "add \"on_failure\": true (or on_success, on_completion), or \"alerts\"", Severity.Warning);
        f.ReportUnknown(workflowLevel ? WorkflowFields : WhenFields);
        return result;
    }

    private static Located<int>? Positive(ObjectFields f, Located<int>? value, string name, string example)
    {
        if (value is { Value: < 1 } v)
        {
            f.Diagnostics.Report(Descriptors.InvalidValue, v.Span, $"\"{name}\" of {f.Owner} must be at least 1", $"write \"{name}\": {example}");
            return null;
        }
        return value;
    }

    private static bool CheckType(LocatedString type, DiagnosticBag bag)
    {
        if (NotificationChannel.KnownTypes.Contains(type.Value)) return true;
        var suggestion = Suggest.Closest(type.Value, NotificationChannel.KnownTypes);
        bag.Report(Descriptors.InvalidValue, type.Span, $"unknown notification channel \"{type.Value}\"",
            suggestion is null ? $"channels are {string.Join(", ", NotificationChannel.KnownTypes)}" : $"did you mean \"{suggestion}\"?");
        return false;
    }

    /// <summary>A channel's settings, flattened, with unknown ones reported.</summary>
    private static List<NamedValue> Settings(JsonObject obj, string type, DiagnosticBag bag, string? skip = null)
    {
        var known = NotificationChannel.KnownSettings[type];
        var list = new List<NamedValue>();
        foreach (var p in obj.Properties)
        {
            if (p.Name == skip) continue;
            var isMap = known.Contains(p.Name + ".*");
            if (!isMap && !known.Contains(p.Name))
            {
                var plain = known.Select(k => k.EndsWith(".*", StringComparison.Ordinal) ? k.Substring(0, k.Length - 2) : k).ToList();
                var close = Suggest.Closest(p.Name, plain);
                bag.Report(Descriptors.UnknownField, p.NameToken.Span, $"unknown setting \"{p.Name}\" of the {type} channel; it is ignored",
                    close is not null ? $"did you mean \"{close}\"?" : $"{type} settings: {string.Join(", ", plain)}");
                continue;
            }
            if (isMap)
            {
                if (p.Value is not JsonObject map)
                {
                    bag.Report(Descriptors.WrongType, p.Value.Span, $"\"{p.Name}\" of the {type} channel must be an object of name: value pairs", $"write \"{p.Name}\": {{ \"name\": \"value\" }}");
                    continue;
                }
                foreach (var entry in map.Properties)
                {
                    if (p.Name == "templates" && !NotificationChannel.TemplateEvents.Contains(entry.Name))
                    {
                        var close = Suggest.Closest(entry.Name, NotificationChannel.TemplateEvents);
                        bag.Report(Descriptors.UnknownField, entry.NameToken.Span, $"unknown template event \"{entry.Name}\" of the {type} channel",
                            close is not null ? $"did you mean \"{close}\"?" : $"events: {string.Join(", ", NotificationChannel.TemplateEvents)}");
                        continue;
                    }
                    if (Scalar(entry.Value, $"\"{p.Name}.{entry.Name}\"", bag) is { } v)
                        list.Add(new NamedValue(LocatedString.Synthetic($"{p.Name}.{entry.Name}", entry.NameToken.Span), v));
                }
                continue;
            }
            if (p.Value is JsonArray items)
            {
                var values = items.Items.Select(i => Scalar(i, $"items of \"{p.Name}\"", bag)).Where(v => v is not null).Select(v => v!.Value).ToList();
                list.Add(new NamedValue(p.NameToken, LocatedString.Synthetic(string.Join(", ", values), items.Span)));
            }
            else if (Scalar(p.Value, $"\"{p.Name}\"", bag) is { } value) list.Add(new NamedValue(p.NameToken, value));
        }
        return list;
    }

    private static LocatedString? Scalar(JsonNode node, string what, DiagnosticBag bag)
    {
        switch (node)
        {
            case JsonString s: return s.Located;
            case JsonNumber n: return LocatedString.Synthetic(n.Raw, n.Span);
            case JsonBoolean b: return LocatedString.Synthetic(b.Value ? "true" : "false", b.Span);
            default:
                bag.Report(Descriptors.WrongType, node.Span, $"{what} must be a string, number or boolean, not {ObjectFields.Describe(node)}", "use a string");
                return null;
        }
    }

    /// <summary><c>"alerts": true</c> (every rule with its defaults) or an object; <c>false</c> is no alerts.</summary>
    private static AlertSettings? ReadAlerts(ObjectFields f)
    {
        switch (f.Get("alerts"))
        {
            case null: return null;
            case JsonBoolean b: return b.Value ? new AlertSettings { Span = b.Span } : null;
            case JsonObject obj:
                var a = new ObjectFields(obj, "alerts", f.Diagnostics);
                var alerts = new AlertSettings
                {
                    Channels = a.StringList("channels"),
                    Failed = a.Bool("failed") ?? false,
                    ThrottleSeconds = a.Seconds("throttle")?.Value ?? 3600,
                    Span = obj.Span,
                };
                alerts = Rule(a, "failure_rate", alerts, (r, x) => x with
                {
                    FailureRateThreshold = Number(r, "threshold", x.FailureRateThreshold, 0, 1),
                    FailureRateWindowSeconds = r.Seconds("window")?.Value ?? x.FailureRateWindowSeconds,
                    FailureRateMinRuns = (int)Number(r, "min_runs", x.FailureRateMinRuns, 1, 10000),
                }, x => x with { FailureRate = false }, new[] { "threshold", "window", "min_runs" });
                alerts = Rule(a, "duration", alerts, (r, x) => x with
                {
                    DurationFactor = Number(r, "factor", x.DurationFactor, 1, 1000),
                    DurationMinRuns = (int)Number(r, "min_runs", x.DurationMinRuns, 1, 10000),
                }, x => x with { Duration = false }, new[] { "factor", "min_runs" });
                alerts = Rule(a, "task_failures", alerts, (r, x) => x with
                {
                    TaskFailuresInARow = (int)Number(r, "in_a_row", x.TaskFailuresInARow, 1, 1000),
                }, x => x with { TaskFailures = false }, new[] { "in_a_row" });
                a.ReportUnknown(AlertFields);
                return alerts;
            case var other:
                f.WrongType("alerts", other, "true, false or an object of rules");
                return null;
        }
    }

    /// <summary>A rule: <c>false</c> turns it off, <c>true</c> keeps its defaults, an object sets its thresholds.</summary>
    private static AlertSettings Rule(ObjectFields a, string name, AlertSettings alerts, Func<ObjectFields, AlertSettings, AlertSettings> read,
        Func<AlertSettings, AlertSettings> off, string[] fields)
    {
        switch (a.Get(name))
        {
            case null: return alerts;
            case JsonBoolean b: return b.Value ? alerts : off(alerts);
            case JsonObject o:
                var r = new ObjectFields(o, $"the {name} alert", a.Diagnostics);
                var result = read(r, alerts);
                r.ReportUnknown(fields);
                return result;
            case var other:
                a.WrongType(name, other, "true, false or an object of thresholds");
                return alerts;
        }
    }

    private static double Number(ObjectFields f, string name, double fallback, double min, double max)
    {
        var node = f.Get(name);
        if (node is null) return fallback;
        if (node is JsonNumber n && double.TryParse(n.Raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max) return v;
        f.Diagnostics.Report(Descriptors.InvalidValue, node.Span, $"\"{name}\" of {f.Owner} must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, not {ObjectFields.Describe(node)}",
            $"write \"{name}\": {fallback.ToString(CultureInfo.InvariantCulture)}");
        return fallback;
    }
}
