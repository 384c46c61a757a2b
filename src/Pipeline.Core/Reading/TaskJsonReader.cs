using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Expressions;
using Pipeline.Core.Json;
using Pipeline.Core.Model;
using Pipeline.Core.Text;

namespace Pipeline.Core.Reading;

/// <summary>
/// Reads task objects. Inline tasks (a parallel group's tasks, a loop's task, inline then/else) are
/// hoisted into the same flat list with their owner set; the parent keeps a reference by id.
/// </summary>
internal sealed partial class TaskJsonReader
{
    internal static readonly string[] CommonFields =
    {
        "id", "name", "type", "description", "depends_on", "timeout", "retry", "on_success", "on_failure",
        "condition", "continue_on_error", "env", "cwd", "outputs", "resumable", "notifications",
        "inputs", "generates", "cache",
    };

    internal static readonly IReadOnlyDictionary<TaskType, string[]> TypeFields = new Dictionary<TaskType, string[]>
    {
        [TaskType.Shell] = new[] { "command", "shell", "live_output" },
        [TaskType.Http] = new[] { "url", "method", "headers", "body", "auth", "expect_status", "follow_redirects" },
        [TaskType.Docker] = new[] { "image", "build", "command", "args", "entrypoint", "volumes", "workdir", "user", "memory", "cpus", "network", "pull", "keep", "cleanup_images" },
        [TaskType.JavaScript] = new[] { "script", "file", "args" },
        [TaskType.Python] = new[] { "script", "file", "args" },
        [TaskType.Conditional] = new[] { "then", "else" },
        [TaskType.Parallel] = new[] { "tasks", "wait_for" },
        [TaskType.Loop] = new[] { "items", "task", "parallel", "stop_on_failure" },
        [TaskType.Sql] = new[] { "connection", "provider", "query", "file", "parameters", "transaction", "migrations", "allow_changed" },
    };

    internal static readonly HashSet<string> AllTaskFields = new(CommonFields.Concat(TypeFields.Values.SelectMany(v => v)), StringComparer.Ordinal);

    /// <summary>Task ids are names in expressions (<c>tasks.build-app.status</c>), so they follow identifier rules.</summary>
    internal static readonly Regex IdPattern = new("^[A-Za-z_][A-Za-z0-9_-]*$", RegexOptions.CultureInvariant);
    internal const int MaxIdLength = 100;

    private readonly DiagnosticBag _bag;
    private readonly List<TaskDefinition> _tasks = new();

    public TaskJsonReader(DiagnosticBag bag) => _bag = bag;

    public IReadOnlyList<TaskDefinition> Tasks => _tasks;

    public HashSet<string> BrokenIds { get; } = new(StringComparer.Ordinal);

    /// <summary>What the broken tasks refer to, so the validator still checks those references.</summary>
    public List<BrokenTaskReferences> BrokenReferences { get; } = new();

    private void Broken(LocatedString id, ObjectFields f)
    {
        BrokenIds.Add(id.Value);
        BrokenReferences.Add(new BrokenTaskReferences(id.Value, f.Refs("depends_on"), f.Refs("on_success"), f.Refs("on_failure")));
    }

    /// <summary>Reads one task (and its inline children); returns a reference to it, or null if it has no usable id.</summary>
    public TaskRef? ReadTask(JsonNode node, string? owner, string? generatedId)
    {
        if (node is not JsonObject obj)
        {
            _bag.Report(Descriptors.WrongType, node.Span, $"a task must be an object, not {ObjectFields.Describe(node)}",
                "write { \"id\": \"build\", \"type\": \"shell\", \"command\": \"make\" }");
            return null;
        }

        var idNode = obj.Find("id")?.Value;
        LocatedString? id = idNode as JsonString is { } s ? s.Located : null;
        if (idNode is not null && id is null)
            _bag.Report(Descriptors.WrongType, idNode.Span, $"task \"id\" must be a string, not {ObjectFields.Describe(idNode)}", "write \"id\": \"build\"");
        if (id is null && idNode is null)
        {
            if (generatedId is null)
            {
                _bag.Report(Descriptors.RequiredField, obj.Span, "a task has no \"id\"", "add \"id\": \"a-unique-name\"; other tasks refer to it by this id");
            }
            else id = LocatedString.Synthetic(generatedId, obj.Span);
        }
        var label = id is null ? "a task" : $"task '{id.Value}'";
        var f = new ObjectFields(obj, label, _bag);
        f.Get("id");
        if (id is not null && !IsValidId(id.Value))
        {
            _bag.Report(Descriptors.InvalidTaskId, id.Span, $"task id \"{id.Value}\" is not a valid id",
                $"ids start with a letter or _ and contain only letters, digits, _ and -, at most {MaxIdLength} characters; e.g. \"{SuggestId(id.Value)}\"");
        }

        var typeToken = f.String("type");
        TaskType? type = null;
        if (typeToken is not null)
        {
            if (TaskTypes.ByName.TryGetValue(typeToken.Value, out var t)) type = t;
            else
            {
                var suggestion = Suggest.Closest(typeToken.Value, TaskTypes.ByName.Keys);
                var aliasHint = typeToken.Value is "bash" or "sh" or "cmd" or "powershell" or "pwsh" ? "use \"type\": \"shell\" with \"shell\": \"" + typeToken.Value + "\""
                    : typeToken.Value is "node" or "js" ? "use \"type\": \"javascript\""
                    : suggestion is not null ? $"did you mean \"{suggestion}\"?" : $"types are {string.Join(", ", TaskTypes.ByName.Keys)}";
                _bag.Report(Descriptors.UnknownTaskType, typeToken.Span, $"{label} has unsupported type \"{typeToken.Value}\"", aliasHint);
            }
        }
        else if (!obj.Properties.Any(p => p.Name == "type"))
        {
            f.Missing("type", $"add \"type\": one of {string.Join(", ", TaskTypes.ByName.Keys)}");
        }

        if (type is null)
        {
            if (id is not null) Broken(id, f);
            return id is null ? null : new TaskRef(id.Value, id.Span);
        }

        var idValue = id ?? LocatedString.Synthetic($"task-{_tasks.Count + 1}", obj.Span);
        var position = _tasks.Count; // inline children are read first; the parent goes before them
        var task = ReadTyped(type.Value, f, idValue, label, obj);
        if (task is null)
        {
            Broken(idValue, f);
        }
        else
        {
            task = ApplyCommon(task, f, owner, obj, typeToken!);
            task = ApplyCaching(task, f, obj, label);
            _tasks.Insert(position, task);
        }
        f.ReportUnknown(CommonFields.Concat(TypeFields[type.Value]), field => MisplacedHint(field, type.Value));
        return id is null ? null : new TaskRef(idValue.Value, idValue.Span);
    }

    internal static bool IsValidId(string id) => id.Length <= MaxIdLength && IdPattern.IsMatch(id);

    private static string SuggestId(string id)
    {
        var cleaned = Regex.Replace(id.Trim(), "[^A-Za-z0-9_-]+", "-").Trim('-');
        if (cleaned.Length == 0 || char.IsDigit(cleaned[0])) cleaned = "task-" + cleaned;
        return cleaned.Length > MaxIdLength ? cleaned.Substring(0, MaxIdLength) : cleaned;
    }

    private static string? MisplacedHint(string field, TaskType type)
    {
        var owners = TypeFields.Where(kv => kv.Value.Contains(field)).Select(kv => TaskTypes.NameOf(kv.Key)).ToList();
        if (owners.Count == 0) return null;
        return $"\"{field}\" is used by {string.Join(" and ", owners)} tasks, not by {TaskTypes.NameOf(type)} tasks";
    }

    private TaskDefinition ApplyCommon(TaskDefinition task, ObjectFields f, string? owner, JsonObject obj, LocatedString typeToken)
    {
        var timeout = f.Seconds("timeout");
        return task with
        {
            Name = f.String("name"),
            DependsOn = f.Refs("depends_on"),
            Timeout = timeout,
            Retry = ReadRetry(f),
            OnSuccess = f.Refs("on_success"),
            OnFailure = f.Refs("on_failure"),
            Condition = task.Condition ?? f.String("condition"),
            ContinueOnError = f.Bool("continue_on_error") ?? false,
            Env = f.Pairs("env"),
            Cwd = f.String("cwd"),
            Outputs = ReadOutputs(f),
            Resumable = f.Bool("resumable") ?? true,
            Notifications = NotificationReader.Read(f, workflowLevel: false),
            Owner = owner,
            Span = obj.Span,
            TypeSpan = typeToken.Span,
        };
    }

    private TaskDefinition? ReadTyped(TaskType type, ObjectFields f, LocatedString id, string label, JsonObject obj)
    {
        f.Get("description");
        switch (type)
        {
            case TaskType.Shell:
            {
                var command = RequiredString(f, "command", label, "shell", "\"command\": \"make build\"");
                var shell = f.Choice("shell", ShellTask.Shells);
                return command is null ? null : new ShellTask { Id = id, Command = command, Shell = shell, LiveOutput = f.Bool("live_output") ?? false };
            }
            case TaskType.Http:
                return ReadHttp(f, id, label);
            case TaskType.Docker:
                return ReadDocker(f, id, label);
            case TaskType.JavaScript:
            case TaskType.Python:
            {
                var script = f.String("script");
                var file = f.String("file");
                var args = f.StringList("args");
                var kind = TaskTypes.NameOf(type);
                if (script is null && file is null && !f.Has("script") && !f.Has("file"))
                    _bag.Report(Descriptors.MissingTaskField, obj.Span, $"{kind} task '{id.Value}' needs \"script\" (inline code) or \"file\"",
                        type == TaskType.Python ? "add \"script\": \"print('hello')\"" : "add \"script\": \"console.log('hello')\"");
                if (script is not null && file is not null)
                    _bag.Report(Descriptors.ConflictingFields, f.KeySpan("file"), $"{kind} task '{id.Value}' has both \"script\" and \"file\"", "keep one of them");
                if (script is null && file is null) return null;
                return type == TaskType.Python
                    ? new PythonTask { Id = id, Script = script, File = file, Args = args }
                    : new JavaScriptTask { Id = id, Script = script, File = file, Args = args };
            }
            case TaskType.Conditional:
            {
                var condition = f.String("condition");
                if (condition is null && !f.Has("condition"))
                    _bag.Report(Descriptors.MissingTaskField, obj.Span, $"conditional task '{id.Value}' needs \"condition\"", "add \"condition\": \"env.DEPLOY_ENV == 'production'\"");
                var then = ReadChildren(f, "then", id.Value);
                var @else = ReadChildren(f, "else", id.Value);
                if (then.Count == 0 && @else.Count == 0 && !f.Has("then") && !f.Has("else"))
                    _bag.Report(Descriptors.MissingTaskField, obj.Span, $"conditional task '{id.Value}' needs \"then\" or \"else\"", "add \"then\": [\"task-to-run\"]");
                return condition is null ? null : new ConditionalTask { Id = id, Condition = condition, Then = then, Else = @else };
            }
            case TaskType.Parallel:
            {
                if (!f.Has("tasks"))
                    _bag.Report(Descriptors.MissingTaskField, obj.Span, $"parallel task '{id.Value}' needs \"tasks\"", "add \"tasks\": [ { \"id\": ..., \"type\": ... }, ... ] or a list of task ids");
                var children = ReadChildren(f, "tasks", id.Value);
                var waitFor = f.Choice("wait_for", new[] { "all", "any", "first" });
                return new ParallelTask
                {
                    Id = id, Tasks = children,
                    WaitFor = waitFor?.Value switch { "any" => WaitFor.Any, "first" => WaitFor.First, _ => WaitFor.All },
                };
            }
            case TaskType.Loop:
                return ReadLoop(f, id, obj);
            case TaskType.Sql:
            {
                var connection = RequiredString(f, "connection", label, "sql", "\"connection\": \"${secrets.DATABASE_URL}\"");
                var provider = f.Choice("provider", SqlTask.Providers);
                var query = f.String("query");
                var file = f.String("file");
                var migrations = f.String("migrations");
                var given = new[] { ("query", query), ("file", file), ("migrations", migrations) }.Where(g => g.Item2 is not null).ToList();
                if (given.Count == 0 && !f.Has("query") && !f.Has("file") && !f.Has("migrations"))
                    _bag.Report(Descriptors.MissingTaskField, obj.Span, $"sql task '{id.Value}' needs \"query\", \"file\" or \"migrations\"", "add \"query\": \"SELECT 1\", or \"migrations\": \"db/migrations\"");
                if (given.Count > 1)
                    _bag.Report(Descriptors.ConflictingFields, f.KeySpan(given[1].Item1), $"sql task '{id.Value}' has both \"{given[0].Item1}\" and \"{given[1].Item1}\"", "keep one of them");
                return connection is null ? null : new SqlTask
                {
                    Id = id, Connection = connection, Provider = provider, Query = query, File = file, Parameters = f.Pairs("parameters"),
                    Transaction = f.Bool("transaction") ?? false, Migrations = migrations, AllowChanged = f.Bool("allow_changed") ?? false,
                };
            }
            default:
                return null;
        }
    }

    private LocatedString? RequiredString(ObjectFields f, string field, string label, string kind, string example)
    {
        var value = f.String(field);
        if (value is null && !f.Has(field))
            _bag.Report(Descriptors.MissingTaskField, f.Object.Span, $"{kind} {label} needs \"{field}\"", $"add {example}");
        else if (value is not null && value.Value.Trim().Length == 0)
            _bag.Report(Descriptors.MissingTaskField, value.Span, $"\"{field}\" of {label} is empty", $"write {example}");
        return value;
    }

    private IReadOnlyList<LocatedString> ListFrom(JsonNode node, string field, string label)
    {
        var list = new List<LocatedString>();
        foreach (var item in ((JsonArray)node).Items)
        {
            if (item is JsonString s) list.Add(s.Located);
            else _bag.Report(Descriptors.WrongType, item.Span, $"items of \"{field}\" in {label} must be strings", "write [\"a\", \"b\"]");
        }
        return list;
    }

    private TaskDefinition? ReadHttp(ObjectFields f, LocatedString id, string label)
    {
        var url = RequiredString(f, "url", label, "http", "\"url\": \"https://example.com/health\"");
        var method = f.Choice("method", HttpTask.Methods, ignoreCase: true);
        var bodyNode = f.Get("body");
        LocatedString? body = null;
        var bodyIsJson = false;
        if (bodyNode is JsonString bs) body = bs.Located;
        else if (bodyNode is JsonObject or JsonArray)
        {
            body = LocatedString.Synthetic(Evaluator.FromJsonNode(bodyNode).ToJson(indented: false), bodyNode.Span);
            bodyIsJson = true;
        }
        else if (bodyNode is not null) f.WrongType("body", bodyNode, "a string or a JSON object");

        var expect = new List<int>();
        var expectNode = f.Get("expect_status");
        if (expectNode is JsonNumber one && one.TryGetInt64(out var code)) AddStatus(expect, code, one.Span);
        else if (expectNode is JsonArray codes)
            foreach (var c in codes.Items)
            {
                if (c is JsonNumber n && n.TryGetInt64(out var v)) AddStatus(expect, v, n.Span);
                else _bag.Report(Descriptors.WrongType, c.Span, "\"expect_status\" items must be status codes such as 200", "write [200, 204]");
            }
        else if (expectNode is not null) f.WrongType("expect_status", expectNode, "a status code or a list of them");

        return url is null ? null : new HttpTask
        {
            Id = id, Url = url, Method = method?.Value.ToUpperInvariant() ?? (body is null ? "GET" : "POST"),
            Headers = f.Pairs("headers"), Body = body, BodyIsJson = bodyIsJson, Auth = ReadAuth(f),
            ExpectStatus = expect, FollowRedirects = f.Bool("follow_redirects") ?? true,
        };
    }

    private void AddStatus(List<int> list, long code, SourceSpan span)
    {
        if (code < 100 || code > 599) _bag.Report(Descriptors.InvalidValue, span, $"{code} is not an HTTP status code", "status codes are 100 to 599");
        else list.Add((int)code);
    }

    private HttpAuth? ReadAuth(ObjectFields f)
    {
        var node = f.Get("auth");
        if (node is null) return null;
        if (node is not JsonObject obj)
        {
            f.WrongType("auth", node, "an object such as { \"type\": \"bearer\", \"token\": \"${secrets.TOKEN}\" }");
            return null;
        }
        var af = new ObjectFields(obj, "auth", _bag);
        var type = af.Choice("type", new[] { "bearer", "basic" });
        if (!af.Has("type")) af.Missing("type", "add \"type\": \"bearer\" or \"basic\"");
        var token = af.String("token");
        var username = af.String("username");
        var password = af.String("password");
        af.ReportUnknown(new[] { "type", "token", "username", "password" });
        if (type is null) return null;
        if (type.Value == "bearer" && token is null) af.Missing("token", "add \"token\": \"${secrets.API_TOKEN}\"");
        if (type.Value == "basic" && username is null) af.Missing("username", "add \"username\" and \"password\"");
        return new HttpAuth(type.Value == "basic" ? HttpAuthKind.Basic : HttpAuthKind.Bearer, token, username, password, obj.Span);
    }

    private TaskDefinition? ReadLoop(ObjectFields f, LocatedString id, JsonObject obj)
    {
        var itemsNode = f.Get("items");
        IReadOnlyList<ExprValue>? items = null;
        LocatedString? itemsExpression = null;
        if (itemsNode is JsonArray array) items = array.Items.Select(Evaluator.FromJsonNode).ToList();
        else if (itemsNode is JsonString s) itemsExpression = s.Located;
        else if (itemsNode is null)
            _bag.Report(Descriptors.MissingTaskField, obj.Span, $"loop task '{id.Value}' needs \"items\"", "add \"items\": [\"a\", \"b\"] or an expression such as \"${fromJSON(tasks.list.outputs.items)}\"");
        else f.WrongType("items", itemsNode, "a list or an expression string");

        var templateNode = f.Get("task");
        TaskRef? template = null;
        if (templateNode is JsonString templateId) template = new TaskRef(templateId.Value, templateId.Span);
        else if (templateNode is not null) template = ReadTask(templateNode, id.Value, $"{id.Value}-item");
        else _bag.Report(Descriptors.MissingTaskField, obj.Span, $"loop task '{id.Value}' needs \"task\", the task run for each item",
            "add \"task\": { \"type\": \"shell\", \"command\": \"echo ${item}\" }");

        var parallelism = 1;
        var parallelNode = f.Get("parallel");
        if (parallelNode is JsonBoolean pb) parallelism = pb.Value ? 0 : 1;
        else if (parallelNode is JsonNumber pn && pn.TryGetInt64(out var limit) && limit >= 1 && limit <= 10_000) parallelism = (int)limit;
        else if (parallelNode is not null)
            _bag.Report(Descriptors.InvalidValue, parallelNode.Span, $"\"parallel\" of loop '{id.Value}' must be true, false or a limit of 1 or more", "write \"parallel\": true or \"parallel\": 4");

        if (template is null || (items is null && itemsExpression is null)) return null;
        return new LoopTask
        {
            Id = id, Items = items, ItemsExpression = itemsExpression, ItemsSpan = itemsNode!.Span, Template = template,
            Parallelism = parallelism, StopOnFailure = f.Bool("stop_on_failure") ?? true,
        };
    }

    /// <summary>then / else / tasks: a task id, or a list whose items are task ids or inline task objects.</summary>
    private IReadOnlyList<TaskRef> ReadChildren(ObjectFields f, string field, string parentId)
    {
        var node = f.Get(field);
        var list = new List<TaskRef>();
        switch (node)
        {
            case null:
                break;
            case JsonString s:
                list.Add(new TaskRef(s.Value, s.Span));
                break;
            case JsonObject:
                if (ReadTask(node, parentId, $"{parentId}-{field}-1") is { } single) list.Add(single);
                break;
            case JsonArray array:
                var n = 0;
                foreach (var item in array.Items)
                {
                    n++;
                    if (item is JsonString id) list.Add(new TaskRef(id.Value, id.Span));
                    else if (ReadTask(item, parentId, $"{parentId}-{field}-{n}") is { } r) list.Add(r);
                }
                break;
            default:
                f.WrongType(field, node, "a task id, a task, or a list of them");
                break;
        }
        return list;
    }

    private RetryPolicy? ReadRetry(ObjectFields f)
    {
        var node = f.Get("retry");
        if (node is null) return null;
        if (node is JsonNumber n && n.TryGetInt64(out var attempts))
        {
            CheckAttempts(attempts, n.Span);
            return new RetryPolicy((int)Math.Max(0, Math.Min(attempts, 1000)), RetryPolicy.DefaultDelayMs, Backoff.Fixed, null, n.Span);
        }
        if (node is not JsonObject obj)
        {
            f.WrongType("retry", node, "an object such as { \"attempts\": 3, \"delay\": 1000 }");
            return null;
        }
        var rf = new ObjectFields(obj, $"\"retry\" of {f.Owner}", _bag);
        var a = rf.Int("attempts");
        if (a is null && !rf.Has("attempts")) rf.Missing("attempts", "add \"attempts\": 3");
        if (a is { } av) CheckAttempts(av.Value, av.Span);
        var delay = rf.Milliseconds("delay");
        if (delay is { Value: < 0 } d) _bag.Report(Descriptors.InvalidRetry, d.Span, "retry \"delay\" cannot be negative", "use milliseconds, e.g. 1000");
        var backoff = rf.Choice("backoff", new[] { "fixed", "exponential" });
        var maxDelay = rf.Milliseconds("max_delay");
        if (maxDelay is { } md && md.Value < (delay?.Value ?? RetryPolicy.DefaultDelayMs))
            _bag.Report(Descriptors.InvalidRetry, md.Span, $"retry \"max_delay\" ({md.Value} ms) is less than \"delay\" ({delay?.Value ?? RetryPolicy.DefaultDelayMs} ms)", "raise max_delay or lower delay");
        if (maxDelay is not null && backoff?.Value != "exponential")
            _bag.Report(Descriptors.InvalidRetry, maxDelay.Value.Span, "\"max_delay\" only matters with \"backoff\": \"exponential\"", "add \"backoff\": \"exponential\" or remove max_delay", Severity.Warning);
        rf.ReportUnknown(new[] { "attempts", "delay", "backoff", "max_delay" });
        return new RetryPolicy(Math.Max(0, Math.Min(a?.Value ?? 1, 1000)), Math.Max(0, delay?.Value ?? RetryPolicy.DefaultDelayMs),
            backoff?.Value == "exponential" ? Backoff.Exponential : Backoff.Fixed, maxDelay?.Value, obj.Span);
    }

    private void CheckAttempts(long attempts, SourceSpan span)
    {
        if (attempts < 1) _bag.Report(Descriptors.InvalidRetry, span, $"retry \"attempts\" must be at least 1, not {attempts}", "attempts counts every try, the first included; remove retry for a single try");
        else if (attempts > 100) _bag.Report(Descriptors.InvalidRetry, span, $"retry \"attempts\" of {attempts} is more than 100", "use at most 100 attempts; a task that needs more is better fixed or polled");
    }

    private IReadOnlyList<OutputDeclaration> ReadOutputs(ObjectFields f)
    {
        var node = f.Get("outputs");
        var list = new List<OutputDeclaration>();
        if (node is null) return list;
        if (node is JsonArray array)
        {
            foreach (var item in array.Items)
                if (item is JsonString s) list.Add(new OutputDeclaration(s.Located, null));
                else _bag.Report(Descriptors.WrongType, item.Span, "\"outputs\" items must be output names", "write \"outputs\": [\"version\"]");
        }
        else if (node is JsonObject obj)
        {
            foreach (var p in obj.Properties)
                list.Add(new OutputDeclaration(p.NameToken, p.Value is JsonString d ? d.Value : null));
        }
        else f.WrongType("outputs", node, "a list of output names");
        foreach (var o in list)
            if (!IsValidId(o.Name.Value))
                _bag.Report(Descriptors.InvalidName, o.Name.Span, $"output name \"{o.Name.Value}\" is not a valid name", "use letters, digits, _ and -, starting with a letter");
        return list;
    }
}
