using System;
using System.Collections.Generic;
using System.Linq;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Json;
using Pipeline.Core.Model;
using Pipeline.Core.Text;

namespace Pipeline.Core.Reading;

/// <summary>
/// Turns a <c>*.workflow.json</c> document into a <see cref="WorkflowDefinition"/>. Checks the schema
/// (required fields, types, allowed values, unknown fields) and reports with positions; the semantic
/// checks (references, cycles, expressions) are the validator's.
/// </summary>
public static class WorkflowJsonReader
{
    internal static readonly string[] WorkflowFields =
    {
        "$schema", "name", "version", "description", "category", "trigger", "triggers", "environment",
        "secrets", "notifications", "tasks", "rollback", "max_parallel", "concurrency",
    };

    public static readonly IReadOnlyList<string> ConcurrencyValues = new[] { "allow", "skip", "queue", "cancel-previous" };

    public static ReadResult Read(SourceDocument document)
    {
        var bag = new DiagnosticBag();
        return Read(document, JsonReader.Parse(document, bag), bag, yaml: false);
    }

    /// <summary>
    /// The same schema written in YAML (<c>*.workflow.yml</c>, <c>workflow.yml</c>): read with positions by
    /// the YAML reader, turned into the JSON tree (plain true/false, numbers and null typed as YAML's core
    /// schema types them; quoted scalars stay strings), then read exactly as JSON is.
    /// </summary>
    public static ReadResult ReadYaml(SourceDocument document)
    {
        var bag = new DiagnosticBag();
        var yaml = Yaml.YamlTreeReader.Parse(document, bag);
        return Read(document, yaml is null ? null : YamlToJson.Convert(yaml), bag, yaml: true);
    }

    private static ReadResult Read(SourceDocument document, JsonNode? root, DiagnosticBag bag, bool yaml)
    {
        if (root is null) return new ReadResult(document, null, bag.Items);
        if (root is not JsonObject obj)
        {
            bag.Report(Descriptors.WrongType, root.Span, yaml
                    ? $"a workflow file must contain a mapping, not {ObjectFields.Article(root.KindName)}"
                    : $"a workflow file must contain a JSON object, not {ObjectFields.Article(root.KindName)}",
                yaml ? "start the file with name: ... and tasks: (a list)" : "start the file with { \"name\": \"...\", \"tasks\": [ ... ] }");
            return new ReadResult(document, null, bag.Items);
        }

        var f = new ObjectFields(obj, "the workflow", bag);
        var name = f.String("name", required: true, hint: "add \"name\": \"my-workflow\"");
        var tasks = new TaskJsonReader(bag);
        var tasksNode = f.Get("tasks");
        if (tasksNode is null) f.Missing("tasks", "add \"tasks\": [ { \"id\": \"hello\", \"type\": \"shell\", \"command\": \"echo hello\" } ]");
        else if (tasksNode is not JsonArray taskArray) f.WrongType("tasks", tasksNode, "a list of tasks");
        else if (taskArray.Items.Count == 0)
            bag.Report(Descriptors.NoTasks, taskArray.Span, "the workflow has no tasks", "add at least one task");
        else
            foreach (var item in taskArray.Items) tasks.ReadTask(item, owner: null, generatedId: null);

        if (f.Has("trigger") && f.Has("triggers"))
            bag.Report(Descriptors.ConflictingFields, f.KeySpan("triggers"), "the workflow has both \"trigger\" and \"triggers\"",
                "keep one: \"trigger\" for a single trigger, \"triggers\" for a list");

        var (concurrency, concurrencyGroup) = ReadConcurrency(f);
        var workflow = new WorkflowDefinition
        {
            Name = name ?? LocatedString.Synthetic(DefaultName(document.Path), obj.Span),
            Version = StringOrNumber(f, "version"),
            Description = f.String("description"),
            Category = f.String("category"),
            Triggers = ReadTriggers(f),
            Environment = f.Pairs("environment"),
            Secrets = ReadSecrets(f),
            Notifications = NotificationReader.Read(f, workflowLevel: true),
            Tasks = tasks.Tasks,
            Rollback = f.Refs("rollback"),
            MaxParallel = f.Int("max_parallel"),
            ConcurrencyGroup = concurrencyGroup,
            Concurrency = concurrency?.Value switch
            {
                "skip" => ConcurrencyPolicy.Skip,
                "queue" => ConcurrencyPolicy.Queue,
                "cancel-previous" => ConcurrencyPolicy.CancelPrevious,
                _ => ConcurrencyPolicy.Allow,
            },
            Format = WorkflowFormat.WorkflowJson,
            Path = document.Path,
            Span = obj.Span,
        };
        if (workflow.MaxParallel is { } mp && mp.Value < 1)
            bag.Report(Descriptors.InvalidValue, mp.Span, $"\"max_parallel\" must be at least 1, not {mp.Value}", "remove it to use the number of processors");
        f.ReportUnknown(WorkflowFields, field => TaskJsonReader.AllTaskFields.Contains(field) ? $"\"{field}\" is a task field; move it into a task" : null);
        return new ReadResult(document, workflow, bag.Items, tasks.BrokenIds, brokenTaskReferences: tasks.BrokenReferences);
    }

    /// <summary>The seed writes "version": "1.0.0"; people also write 1 or 1.2.</summary>
    private static LocatedString? StringOrNumber(ObjectFields f, string name)
    {
        var node = f.Get(name);
        if (node is null) return null;
        if (node is JsonString s) return s.Located;
        if (node is JsonNumber n) return LocatedString.Synthetic(n.Raw, n.Span);
        f.WrongType(name, node, "a string such as \"1.0.0\"");
        return null;
    }

    private static string DefaultName(string path)
    {
        var file = System.IO.Path.GetFileName(path);
        var dot = file.IndexOf('.');
        return dot > 0 ? file.Substring(0, dot) : file;
    }

    /// <summary><c>"concurrency": "queue"</c>, or <c>{ "policy": "queue", "group": "${trigger.payload.ref}" }</c>.</summary>
    private static (LocatedString? Policy, LocatedString? Group) ReadConcurrency(ObjectFields f)
    {
        if (f.Get("concurrency") is not JsonObject obj) return (f.Choice("concurrency", ConcurrencyValues), null);
        var c = new ObjectFields(obj, "concurrency", f.Diagnostics);
        var policy = c.Choice("policy", ConcurrencyValues);
        if (!c.Has("policy")) c.Missing("policy", "add \"policy\": one of allow, skip, queue, cancel-previous");
        var group = c.String("group");
        c.ReportUnknown(new[] { "policy", "group" });
        return (policy, group);
    }

    private static IReadOnlyList<TriggerDefinition> ReadTriggers(ObjectFields f)
    {
        var list = new List<TriggerDefinition>();
        if (f.Get("trigger") is { } single)
        {
            if (ReadTrigger(single, f.Diagnostics) is { } t) list.Add(t);
        }
        if (f.Get("triggers") is { } many)
        {
            if (many is JsonArray array)
                foreach (var item in array.Items)
                    if (ReadTrigger(item, f.Diagnostics) is { } t) list.Add(t);
            else
                f.WrongType("triggers", many, "a list of triggers");
        }
        return list;
    }

    private static readonly string[] TriggerTypes = { "manual", "schedule", "webhook", "file_change" };

    private static TriggerDefinition? ReadTrigger(JsonNode node, DiagnosticBag bag)
    {
        if (node is JsonString shorthand && shorthand.Value == "manual") return new ManualTrigger(shorthand.Span);
        if (node is not JsonObject obj)
        {
            bag.Report(Descriptors.WrongType, node.Span, $"a trigger must be an object, not {ObjectFields.Describe(node)}",
                "write { \"type\": \"schedule\", \"config\": { \"schedule\": \"0 2 * * *\" } }");
            return null;
        }
        var f = new ObjectFields(obj, "the trigger", bag);
        var type = f.Choice("type", TriggerTypes);
        if (!f.Has("type")) f.Missing("type", "add \"type\": one of manual, schedule, webhook, file_change");
        var configNode = f.Get("config");
        JsonObject configObj;
        if (configNode is JsonObject c) configObj = c;
        else
        {
            if (configNode is not null) f.WrongType("config", configNode, "an object");
            configObj = new JsonObject(obj.Span, Array.Empty<JsonProperty>());
        }
        f.ReportUnknown(new[] { "type", "config" });
        if (type is null) return null;

        var cfg = new ObjectFields(configObj, $"the {type.Value} trigger's config", bag);
        TriggerDefinition? result;
        switch (type.Value)
        {
            case "schedule":
                var schedule = cfg.String("schedule");
                if (schedule is null)
                {
                    if (!configObj.Properties.Any(p => p.Name == "schedule"))
                        bag.Report(Descriptors.InvalidTrigger, configNode?.Span ?? type.Span, "a schedule trigger needs \"config\": { \"schedule\": \"<cron>\" }",
                            "for example \"0 2 * * *\" runs every day at 02:00");
                    result = null;
                }
                else
                {
                    var misfire = cfg.Choice("misfire", new[] { "skip", "run_once" });
                    var jitter = cfg.Milliseconds("jitter");
                    if (jitter is { Value: < 0 } j)
                        bag.Report(Descriptors.InvalidValue, j.Span, "\"jitter\" cannot be negative", "use 0 or a duration such as \"30s\"");
                    result = new ScheduleTrigger(schedule, cfg.String("timezone"), obj.Span)
                    {
                        Misfire = misfire?.Value == "run_once" ? MisfirePolicy.RunOnce : MisfirePolicy.Skip,
                        JitterMs = Math.Max(0, jitter?.Value ?? 0),
                    };
                }
                break;
            case "webhook":
                var method = cfg.Choice("method", HttpTask.Methods, ignoreCase: true);
                result = new WebhookTrigger(cfg.String("path"), cfg.String("url"), cfg.String("secret"), method, obj.Span);
                break;
            case "file_change":
                var paths = cfg.StringList("paths");
                if (paths.Count == 0)
                    bag.Report(Descriptors.InvalidTrigger, configNode?.Span ?? type.Span, "a file_change trigger needs \"config\": { \"paths\": [\"src/**\"] }",
                        "list the glob patterns to watch");
                var events = cfg.StringList("events");
                foreach (var e in events)
                    if (!new[] { "created", "changed", "deleted", "renamed" }.Contains(e.Value))
                        bag.Report(Descriptors.InvalidValue, e.Span, $"unknown file event \"{e.Value}\"", "events are created, changed, deleted, renamed");
                var debounce = cfg.Milliseconds("debounce");
                if (debounce is { Value: < 0 } d)
                    bag.Report(Descriptors.InvalidValue, d.Span, "\"debounce\" cannot be negative", "use 0 or more milliseconds");
                var poll = cfg.Milliseconds("poll");
                if (poll is { Value: < 100 } pl)
                    bag.Report(Descriptors.InvalidValue, pl.Span, $"\"poll\" of {pl.Value} ms is too short", "poll every 100 ms or more, e.g. \"2s\"");
                result = new FileChangeTrigger(paths, debounce?.Value ?? FileChangeTrigger.DefaultDebounceMs, events, obj.Span)
                {
                    Ignore = cfg.StringList("ignore"),
                    PollMs = poll?.Value,
                };
                break;
            default:
                result = new ManualTrigger(obj.Span);
                break;
        }
        var allowed = type.Value switch
        {
            "schedule" => new[] { "schedule", "timezone", "misfire", "jitter" },
            "webhook" => new[] { "path", "url", "secret", "method" },
            "file_change" => new[] { "paths", "events", "debounce", "ignore", "poll" },
            _ => Array.Empty<string>(),
        };
        cfg.ReportUnknown(allowed);
        return result;
    }

    private static IReadOnlyList<SecretDeclaration> ReadSecrets(ObjectFields f)
    {
        var node = f.Get("secrets");
        var list = new List<SecretDeclaration>();
        switch (node)
        {
            case null:
                break;
            case JsonArray array:
                foreach (var item in array.Items)
                {
                    if (item is JsonString s) list.Add(new SecretDeclaration(s.Located, null, s.Value, s.Span));
                    else if (item is JsonObject o)
                    {
                        var sf = new ObjectFields(o, "a secret", f.Diagnostics);
                        var name = sf.String("name", required: true);
                        var description = sf.String("description");
                        var from = sf.String("from");
                        sf.ReportUnknown(new[] { "name", "description", "from" });
                        if (name is not null) list.Add(new SecretDeclaration(name, description?.Value, from?.Value ?? name.Value, o.Span));
                    }
                    else f.Diagnostics.Report(Descriptors.WrongType, item.Span, $"a secret must be a name or an object, not {ObjectFields.Describe(item)}", "write \"secrets\": [\"API_TOKEN\"]");
                }
                break;
            case JsonObject map:
                foreach (var p in map.Properties)
                {
                    if (p.Value is JsonString d) list.Add(new SecretDeclaration(p.NameToken, d.Value, p.Name, p.NameToken.Span));
                    else if (p.Value is JsonObject o)
                    {
                        var sf = new ObjectFields(o, $"secret \"{p.Name}\"", f.Diagnostics);
                        var description = sf.String("description");
                        var from = sf.String("from");
                        sf.ReportUnknown(new[] { "description", "from" });
                        list.Add(new SecretDeclaration(p.NameToken, description?.Value, from?.Value ?? p.Name, p.NameToken.Span));
                    }
                    else f.Diagnostics.Report(Descriptors.WrongType, p.Value.Span, $"secret \"{p.Name}\" must be a description string or an object", "write \"API_TOKEN\": \"token for the API\"");
                }
                break;
            default:
                f.WrongType("secrets", node, "a list of secret names");
                break;
        }
        foreach (var s in list)
            if (!IsEnvName(s.Name.Value))
                f.Diagnostics.Report(Descriptors.InvalidName, s.Name.Span, $"secret name \"{s.Name.Value}\" is not a valid variable name", "use letters, digits and _ , not starting with a digit");
        return list;
    }

    internal static bool IsEnvName(string name) =>
        name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => char.IsLetterOrDigit(c) || c == '_');

}
