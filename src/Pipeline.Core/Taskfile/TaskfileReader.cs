using System;
using System.Collections.Generic;
using System.Linq;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Reading;
using Pipeline.Core.Text;
using Pipeline.Core.Yaml;

namespace Pipeline.Core.Taskfile;

/// <summary>
/// Reads a go-task Taskfile (version 3) into a <see cref="TaskfileDocument"/> and converts it into the
/// shared <see cref="Model.WorkflowDefinition"/> (<see cref="TaskfileConverter"/>). Polymorphic forms are
/// accepted as go-task accepts them: a task as a string, a list or a mapping; a command as a string or a
/// mapping with cmd/task/defer; a variable as a value or a mapping with sh/ref/map/value.
/// </summary>
public static class TaskfileReader
{
    internal static readonly string[] TopLevelKeys =
        { "version", "vars", "env", "dotenv", "includes", "tasks", "silent", "output", "method", "run", "interval", "set", "shopt", "use_gitignore" };

    internal static readonly string[] TaskKeys =
    {
        "cmds", "cmd", "desc", "summary", "deps", "vars", "env", "dir", "silent", "internal", "sources", "generates", "status",
        "preconditions", "requires", "aliases", "label", "prefix", "ignore_error", "method", "run", "platforms", "dotenv", "set",
        "shopt", "use_gitignore", "prompt", "interactive", "if", "watch", "failfast",
    };

    internal static readonly string[] CommandKeys = { "cmd", "task", "vars", "silent", "ignore_error", "set", "shopt", "platforms", "if", "for", "timeout", "defer" };
    internal static readonly string[] DepKeys = { "task", "vars", "silent", "for", "timeout" };
    /// <summary>go-task's message for a Taskfile without <c>version:</c> (an empty one included); <c>workflow run</c> prints it as go-task does.</summary>
    public const string MissingVersionMessage = "Missing schema version in Taskfile";

    public static string MissingVersion(string path) => $"{MissingVersionMessage} \"{System.IO.Path.GetFullPath(path)}\"";

    internal static readonly string[] IncludeKeys = { "taskfile", "dir", "optional", "internal", "flatten", "aliases", "excludes", "vars", "checksum" };
    internal static readonly string[] Methods = { "checksum", "timestamp", "none" };
    internal static readonly string[] RunModes = { "always", "once", "when_changed" };

    public static ReadResult Read(SourceDocument document)
    {
        var bag = new DiagnosticBag();
        var root = YamlTreeReader.Parse(document, bag);
        if (root is null)
        {
            if (!bag.HasErrors) bag.Report(Descriptors.YamlSyntax, SourceSpan.FileStart(document.Path), MissingVersion(document.Path) + " (the file is empty)", "a Taskfile starts with version: '3' and tasks:");
            return new ReadResult(document, null, bag.Items);
        }
        if (root is not YamlMapping map)
        {
            bag.Report(Descriptors.WrongType, root.Span, $"a Taskfile must be a mapping of keys, not a {root.KindName}", "start with version: '3' and tasks:");
            return new ReadResult(document, null, bag.Items);
        }

        var f = new YamlFields(map, "the Taskfile", bag);
        var version = f.String("version");
        if (version is null && !f.Has("version"))
            bag.Report(Descriptors.RequiredField, map.Span, MissingVersion(document.Path), "add version: '3' as the first line");
        var doc = new TaskfileDocument
        {
            Version = version ?? LocatedString.Synthetic(string.Empty, map.Span),
            Vars = ReadVars(f, "vars"),
            Env = ReadVars(f, "env"),
            Dotenv = f.StringList("dotenv"),
            Includes = ReadIncludes(f),
            Tasks = ReadTasks(f),
            Silent = f.Bool("silent"),
            Output = ReadOutput(f),
            Method = f.Choice("method", Methods),
            Run = f.Choice("run", RunModes),
            Interval = f.String("interval"),
            Set = f.StringList("set"),
            Shopt = f.StringList("shopt"),
            Path = document.Path,
            Span = map.Span,
        };
        f.Get("use_gitignore");
        f.ReportUnknown(TopLevelKeys);
        var workflow = TaskfileConverter.Convert(doc);
        return new ReadResult(document, workflow, bag.Items, taskfile: doc);
    }

    private static LocatedString? ReadOutput(YamlFields f)
    {
        var node = f.Get("output");
        if (node is null) return null;
        if (node is YamlMapping) return LocatedString.Synthetic("group", node.Span); // {group: {begin, end, error_only}}
        if (node is YamlScalar s && s.Value is "interleaved" or "group" or "prefixed") return s.Located;
        f.Bag.Report(Descriptors.InvalidValue, node.Span, "\"output\" must be interleaved, group, prefixed or a group mapping", "write output: prefixed");
        return null;
    }

    internal static IReadOnlyList<TaskfileVar> ReadVars(YamlFields f, string key)
    {
        var node = f.Get(key);
        return node is null ? Array.Empty<TaskfileVar>() : ReadVarMap(node, key, f.Owner, f.Bag);
    }

    internal static IReadOnlyList<TaskfileVar> ReadVarMap(YamlNode node, string key, string owner, DiagnosticBag bag)
    {
        if (node is YamlScalar { IsNull: true }) return Array.Empty<TaskfileVar>();
        if (node is not YamlMapping map)
        {
            bag.Report(Descriptors.WrongType, node.Span, $"\"{key}\" of {owner} must be a mapping of NAME: value", $"write {key}:\n  NAME: value");
            return Array.Empty<TaskfileVar>();
        }
        var list = new List<TaskfileVar>();
        foreach (var e in map.Entries)
        {
            switch (e.Value)
            {
                case YamlScalar s:
                    list.Add(new TaskfileVar(e.Key.Located, TaskfileVarKind.Static, s.IsNull ? null : s.Located, false, e.Key.Span) { Node = s });
                    break;
                case YamlSequence seq:
                    list.Add(new TaskfileVar(e.Key.Located, TaskfileVarKind.Static, LocatedString.Synthetic(string.Join(" ", seq.Items.OfType<YamlScalar>().Select(i => i.Value)), seq.Span), false, e.Key.Span) { Node = seq });
                    break;
                case YamlMapping vm:
                {
                    var vf = new YamlFields(vm, $"variable \"{e.Key.Value}\"", bag);
                    var secret = vf.Bool("secret");
                    var kinds = new[] { "sh", "ref", "map", "value" }.Where(vf.Has).ToList();
                    if (kinds.Count != 1)
                    {
                        bag.Report(Descriptors.InvalidValue, vm.Span,
                            kinds.Count == 0 ? $"\"{e.Key.Value}\" is not a valid variable type" : $"variable \"{e.Key.Value}\" has both {string.Join(" and ", kinds)}",
                            "a variable is a value, or a mapping with exactly one of sh, ref, map, value (and optionally secret: true)");
                        foreach (var k in kinds) vf.Get(k);
                        vf.ReportUnknown(new[] { "sh", "ref", "map", "value", "secret" });
                        continue;
                    }
                    var kind = kinds[0] switch { "sh" => TaskfileVarKind.Sh, "ref" => TaskfileVarKind.Ref, "map" => TaskfileVarKind.Map, _ => TaskfileVarKind.Static };
                    var raw = vf.Get(kinds[0]);
                    LocatedString? value = kind == TaskfileVarKind.Map
                        ? (vf.Get("map") is { } mv ? LocatedString.Synthetic("map", mv.Span) : null)
                        : vf.Get(kinds[0]) is YamlScalar vs ? vs.Located : LocatedString.Synthetic(string.Empty, vm.Span);
                    vf.ReportUnknown(new[] { "sh", "ref", "map", "value", "secret" });
                    list.Add(new TaskfileVar(e.Key.Located, kind, value, secret, e.Key.Span) { Node = raw });
                    break;
                }
            }
        }
        return list;
    }

    private static IReadOnlyList<TaskfileInclude> ReadIncludes(YamlFields f)
    {
        var node = f.Get("includes");
        if (node is null || node is YamlScalar { IsNull: true }) return Array.Empty<TaskfileInclude>();
        if (node is not YamlMapping map)
        {
            f.WrongType("includes", node, "a mapping of namespace: path");
            return Array.Empty<TaskfileInclude>();
        }
        var list = new List<TaskfileInclude>();
        foreach (var e in map.Entries)
        {
            if (e.Value is YamlScalar s)
            {
                list.Add(new TaskfileInclude(e.Key.Located, s.Located, null, false, false, false, Array.Empty<LocatedString>(), Array.Empty<LocatedString>(), Array.Empty<TaskfileVar>(), e.Key.Span));
                continue;
            }
            if (e.Value is not YamlMapping im)
            {
                f.Bag.Report(Descriptors.WrongType, e.Value.Span, $"include \"{e.Key.Value}\" must be a path or a mapping", "write ns: ./path/Taskfile.yml");
                continue;
            }
            var inc = new YamlFields(im, $"include \"{e.Key.Value}\"", f.Bag);
            var taskfile = inc.String("taskfile");
            var dir = inc.String("dir");
            if (taskfile is null && dir is null)
                f.Bag.Report(Descriptors.RequiredField, im.Span, $"include \"{e.Key.Value}\" must specify taskfile or dir", "add taskfile: ./path/Taskfile.yml");
            var checksum = inc.String("checksum");
            list.Add(new TaskfileInclude(e.Key.Located, taskfile ?? dir ?? LocatedString.Synthetic(".", im.Span), dir, inc.Bool("optional"), inc.Bool("internal"),
                inc.Bool("flatten"), inc.StringList("aliases"), inc.StringList("excludes"), ReadVars(inc, "vars"), e.Key.Span) { Checksum = checksum });
            inc.ReportUnknown(IncludeKeys);
        }
        return list;
    }

    private static IReadOnlyList<TaskfileTask> ReadTasks(YamlFields f)
    {
        var node = f.Get("tasks");
        if (node is null || node is YamlScalar { IsNull: true }) return Array.Empty<TaskfileTask>();
        if (node is not YamlMapping map)
        {
            f.WrongType("tasks", node, "a mapping of task name: task");
            return Array.Empty<TaskfileTask>();
        }
        var list = new List<TaskfileTask>();
        foreach (var e in map.Entries)
        {
            var name = e.Key.Located;
            switch (e.Value)
            {
                case YamlScalar { IsNull: true }:
                    list.Add(new TaskfileTask { Name = name, Span = e.Key.Span });
                    break;
                case YamlScalar s: // a task written as one command
                    list.Add(new TaskfileTask { Name = name, Cmds = new[] { Shell(s.Located, s.Span) }, Span = e.Key.Span });
                    break;
                case YamlSequence seq: // a task written as a list of commands
                    list.Add(new TaskfileTask { Name = name, Cmds = seq.Items.Select(i => ReadCommand(i, name.Value, f.Bag)).Where(c => c is not null).Select(c => c!).ToList(), Span = e.Key.Span });
                    break;
                case YamlMapping tm:
                    list.Add(ReadTask(name, tm, f.Bag, e.Key.Span));
                    break;
            }
        }
        return list;
    }

    private static TaskfileCommand Shell(LocatedString script, SourceSpan span) =>
        new(TaskfileCommandKind.Shell, script, null, false, false, false, Array.Empty<LocatedString>(), null, span);

    private static TaskfileTask ReadTask(LocatedString name, YamlMapping map, DiagnosticBag bag, SourceSpan keySpan)
    {
        var f = new YamlFields(map, $"task \"{name.Value}\"", bag);
        var cmds = new List<TaskfileCommand>();
        if (f.Has("cmd") && f.Has("cmds"))
            bag.Report(Descriptors.ConflictingFields, map.KeyOf("cmd")!.Span, $"task \"{name.Value}\" cannot have both cmd and cmds", "keep cmds (a list) or cmd (one command)");
        if (f.Get("cmd") is { } single && ReadCommand(single, name.Value, bag) is { } one) cmds.Add(one);
        if (f.Get("cmds") is { } many)
        {
            if (many is YamlSequence seq) cmds.AddRange(seq.Items.Select(i => ReadCommand(i, name.Value, bag)).Where(c => c is not null).Select(c => c!));
            else if (many is not YamlScalar { IsNull: true }) f.WrongType("cmds", many, "a list of commands");
        }
        var deps = new List<TaskfileCall>();
        if (f.Get("deps") is { } depsNode)
        {
            if (depsNode is YamlSequence ds)
                foreach (var d in ds.Items)
                    if (ReadCall(d, name.Value, "dependency", DepKeys, bag) is { } call) deps.Add(call);
            else if (depsNode is not YamlScalar { IsNull: true }) f.WrongType("deps", depsNode, "a list of task names");
        }
        var preconditions = new List<TaskfilePrecondition>();
        if (f.Get("preconditions") is { } pre)
        {
            var items = pre is YamlSequence ps ? ps.Items : new[] { pre };
            foreach (var p in items)
            {
                if (p is YamlScalar { IsNull: false } ptext) preconditions.Add(new TaskfilePrecondition(ptext.Located, null, p.Span));
                else if (p is YamlMapping pm)
                {
                    var pf = new YamlFields(pm, $"a precondition of task \"{name.Value}\"", bag);
                    var sh = pf.String("sh");
                    if (sh is null) bag.Report(Descriptors.RequiredField, pm.Span, $"a precondition of task \"{name.Value}\" has no \"sh\"", "write - sh: test -f file\n    msg: file is missing");
                    else preconditions.Add(new TaskfilePrecondition(sh, pf.String("msg"), pm.Span));
                    pf.ReportUnknown(new[] { "sh", "msg" });
                }
            }
        }
        var required = new List<LocatedString>();
        var enums = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var enumRefs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (f.Get("requires") is YamlMapping req)
        {
            var rf = new YamlFields(req, $"requires of task \"{name.Value}\"", bag);
            if (rf.Get("vars") is YamlSequence rv)
                foreach (var v in rv.Items)
                {
                    if (v is YamlScalar vs) required.Add(vs.Located);
                    else if (v is YamlMapping vm && vm.Find("name") is YamlScalar vn)
                    {
                        required.Add(vn.Located);
                        if (vm.Find("enum") is YamlSequence values) enums[vn.Value] = values.Items.OfType<YamlScalar>().Select(i => i.Value).ToList();
                        else if (vm.Find("enum") is YamlMapping enumMap && enumMap.Find("ref") is YamlScalar enumRef) enumRefs[vn.Value] = enumRef.Value;
                        else if (vm.Find("enum") is { } badEnum)
                            bag.Report(Descriptors.WrongType, badEnum.Span, $"the enum of variable \"{vn.Value}\" of task \"{name.Value}\" must be a list or {{ ref: .VAR }}", "enum: [dev, prod]  or  enum: { ref: .ENVIRONMENTS }");
                    }
                }
            rf.ReportUnknown(new[] { "vars" });
        }
        var prompt = f.StringList("prompt");
        var task = new TaskfileTask
        {
            Name = name,
            Desc = f.String("desc"),
            Summary = f.String("summary"),
            Label = f.String("label"),
            Aliases = f.StringList("aliases"),
            Cmds = cmds,
            Deps = deps,
            Dir = f.String("dir"),
            Vars = ReadVars(f, "vars"),
            Env = ReadVars(f, "env"),
            Dotenv = f.StringList("dotenv"),
            Sources = Globs(f, "sources"),
            Generates = Globs(f, "generates"),
            Status = f.StringList("status"),
            Preconditions = preconditions,
            Platforms = f.StringList("platforms"),
            RequiredVars = required,
            RequiredEnums = enums,
            RequiredEnumRefs = enumRefs,
            Set = f.StringList("set"),
            Shopt = f.StringList("shopt"),
            If = f.String("if"),
            Internal = f.Bool("internal"),
            Silent = f.Bool("silent"),
            IgnoreError = f.Bool("ignore_error"),
            Interactive = f.Bool("interactive"),
            Failfast = f.Bool("failfast"),
            Run = f.Choice("run", RunModes),
            Method = f.Choice("method", Methods),
            Prefix = f.String("prefix"),
            Prompt = prompt,
            Span = keySpan,
        };
        f.Get("use_gitignore"); f.Get("watch");
        f.ReportUnknown(TaskKeys);
        return task;
    }

    /// <summary>sources/generates: globs, or <c>{exclude: glob}</c> entries (kept with a leading '!').</summary>
    private static IReadOnlyList<LocatedString> Globs(YamlFields f, string key)
    {
        var node = f.Get(key);
        if (node is null) return Array.Empty<LocatedString>();
        if (node is not YamlSequence seq) return f.List(node, key);
        var list = new List<LocatedString>();
        foreach (var item in seq.Items)
        {
            if (item is YamlScalar s) list.Add(s.Located);
            else if (item is YamlMapping m && m.Find("exclude") is YamlScalar ex) list.Add(LocatedString.Synthetic("!" + ex.Value, ex.Span));
            else f.Bag.Report(Descriptors.WrongType, item.Span, $"items of \"{key}\" must be globs or {{exclude: glob}}", "write - src/**/*.cs");
        }
        return list;
    }

    private static TaskfileCommand? ReadCommand(YamlNode node, string taskName, DiagnosticBag bag)
    {
        if (node is YamlScalar { IsNull: true }) return null;
        if (node is YamlScalar s) return Shell(s.Located, s.Span);
        if (node is not YamlMapping map)
        {
            bag.Report(Descriptors.WrongType, node.Span, $"a command of task \"{taskName}\" must be a string or a mapping, not a {node.KindName}", "write - echo hello");
            return null;
        }
        var f = new YamlFields(map, $"a command of task \"{taskName}\"", bag);
        var platforms = f.StringList("platforms");
        var condition = f.String("if");
        var silent = f.Bool("silent");
        var ignoreError = f.Bool("ignore_error");
        var set = f.StringList("set");
        var shopt = f.StringList("shopt");
        var timeout = f.String("timeout");
        var loop = ReadFor(f, taskName);
        TaskfileCommand? result = null;
        var forms = new[] { "cmd", "task", "defer" }.Where(f.Has).ToList();
        if (forms.Count == 0)
            bag.Report(Descriptors.RequiredField, map.Span, $"a command of task \"{taskName}\" has none of cmd, task or defer", "write - cmd: echo hello, - task: other, or - defer: cleanup");
        else if (forms.Count > 1)
            bag.Report(Descriptors.ConflictingFields, map.Span, $"a command of task \"{taskName}\" has both {string.Join(" and ", forms)}", "split it into two commands");
        else if (forms[0] == "cmd")
        {
            var script = f.String("cmd");
            if (script is not null) result = new TaskfileCommand(TaskfileCommandKind.Shell, script, null, false, silent, ignoreError, platforms, condition, map.Span) { For = loop, Timeout = timeout, Set = set, Shopt = shopt };
        }
        else if (forms[0] == "task")
        {
            var call = ReadCall(map, taskName, "call", CommandKeys, bag, reportUnknown: false);
            if (call is not null) result = new TaskfileCommand(TaskfileCommandKind.Call, null, call, false, silent, ignoreError, platforms, condition, map.Span) { For = loop, Timeout = timeout };
        }
        else
        {
            var deferred = f.Get("defer")!;
            if (deferred is YamlScalar ds) result = new TaskfileCommand(TaskfileCommandKind.Shell, ds.Located, null, true, silent, ignoreError, platforms, condition, map.Span) { Timeout = timeout, Set = set, Shopt = shopt };
            else if (deferred is YamlMapping dm && ReadCall(dm, taskName, "deferred call", DepKeys, bag) is { } call)
                result = new TaskfileCommand(TaskfileCommandKind.Call, null, call, true, silent, ignoreError, platforms, condition, map.Span) { Timeout = timeout };
            else if (deferred is not YamlMapping)
                bag.Report(Descriptors.WrongType, deferred.Span, "defer must be a command or {task: name}", "write - defer: rm -rf tmp");
        }
        f.ReportUnknown(CommandKeys);
        return result;
    }

    private static TaskfileCall? ReadCall(YamlNode node, string taskName, string what, string[] keys, DiagnosticBag bag, bool reportUnknown = true)
    {
        if (node is YamlScalar s) return new TaskfileCall(s.Located, Array.Empty<TaskfileVar>(), false, null, s.Span);
        if (node is not YamlMapping map)
        {
            bag.Report(Descriptors.WrongType, node.Span, $"a {what} of task \"{taskName}\" must be a task name or {{task: name, vars: ...}}", "write - build");
            return null;
        }
        var f = new YamlFields(map, $"a {what} of task \"{taskName}\"", bag);
        var target = f.String("task");
        var vars = ReadVars(f, "vars");
        var silent = f.Bool("silent");
        var loop = reportUnknown ? ReadFor(f, taskName) : null; // a task: command's for belongs to the command
        var timeout = reportUnknown ? f.String("timeout") : null;
        if (reportUnknown) f.ReportUnknown(keys);
        if (target is null)
        {
            if (!f.Has("for")) bag.Report(Descriptors.RequiredField, map.Span, $"a {what} of task \"{taskName}\" has no \"task\"", "add task: <name>");
            return null;
        }
        return new TaskfileCall(target, vars, silent, loop, map.Span) { Timeout = timeout };
    }

    /// <summary><c>for:</c> as go-task reads it: a list, sources, generates, {var, split, as} or {matrix}.</summary>
    private static TaskfileFor? ReadFor(YamlFields f, string taskName)
    {
        var node = f.Get("for");
        switch (node)
        {
            case null: return null;
            case YamlSequence seq: return new TaskfileFor(TaskfileForKind.List, seq, null, null, null, Array.Empty<KeyValuePair<LocatedString, YamlNode>>(), seq.Span);
            case YamlScalar { Value: "sources" or "generates" } s:
                return new TaskfileFor(s.Value == "sources" ? TaskfileForKind.Sources : TaskfileForKind.Generates, null, null, null, null, Array.Empty<KeyValuePair<LocatedString, YamlNode>>(), s.Span);
            case YamlMapping m:
            {
                var ff = new YamlFields(m, $"the for of task \"{taskName}\"", f.Bag);
                var asName = ff.String("as");
                if (ff.Get("matrix") is YamlMapping matrix)
                {
                    ff.ReportUnknown(new[] { "matrix" });
                    return new TaskfileFor(TaskfileForKind.Matrix, null, null, null, asName,
                        matrix.Entries.Select(e => new KeyValuePair<LocatedString, YamlNode>(e.Key.Located, e.Value)).ToList(), m.Span);
                }
                var variable = ff.String("var");
                var split = ff.String("split");
                ff.ReportUnknown(new[] { "var", "split", "as", "matrix" });
                if (variable is null)
                {
                    f.Bag.Report(Descriptors.RequiredField, m.Span, $"the for of task \"{taskName}\" needs var: NAME or matrix:", "write for: {var: LIST} or for: [a, b]");
                    return null;
                }
                return new TaskfileFor(TaskfileForKind.Var, null, variable, split, asName, Array.Empty<KeyValuePair<LocatedString, YamlNode>>(), m.Span);
            }
            default:
                f.Bag.Report(Descriptors.InvalidValue, node.Span, $"the for of task \"{taskName}\" must be a list, sources, generates, {{var: NAME}} or {{matrix: ...}}", "write for: [a, b]");
                return null;
        }
    }
}
