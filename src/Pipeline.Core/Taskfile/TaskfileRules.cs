using System;
using System.Collections.Generic;
using System.Linq;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Text;

namespace Pipeline.Core.Taskfile;

/// <summary>
/// Checks that only make sense for a Taskfile: the version, that deps and task calls name tasks that
/// exist (by name, alias, wildcard, root ':' or include namespace), platform names, and the Go templates
/// in every templated field (closed actions, variables that are defined).
/// </summary>
public static class TaskfileRules
{
    /// <summary>Variables go-task defines itself.</summary>
    public static readonly IReadOnlyList<string> SpecialVariables = new[]
    {
        "TASK", "ALIAS", "TASK_EXE", "ROOT_TASKFILE", "ROOT_DIR", "TASKFILE", "TASKFILE_DIR", "TASK_DIR", "USER_WORKING_DIR",
        "TASK_VERSION", "PATH_LIST_SEPARATOR", "FILE_PATH_SEPARATOR", "CLI_ARGS", "CLI_ARGS_LIST", "CLI_FORCE", "CLI_SILENT",
        "CLI_VERBOSE", "CLI_OFFLINE", "CLI_ASSUME_YES", "MATCH", "ITEM", "KEY", "CHECKSUM", "TIMESTAMP", "EXIT_CODE",
    };

    private static readonly string[] Platforms =
    {
        "windows", "linux", "darwin", "freebsd", "openbsd", "netbsd", "dragonfly", "solaris", "illumos", "aix", "android", "ios", "plan9", "js", "wasip1",
        "amd64", "arm64", "386", "arm", "ppc64", "ppc64le", "mips", "mipsle", "mips64", "mips64le", "s390x", "riscv64", "loong64", "wasm",
    };

    public static void Check(TaskfileDocument doc, DiagnosticBag bag)
    {
        var v = doc.Version.Value.Trim();
        if (v.Length > 0 && !(v == "3" || v.StartsWith("3.", StringComparison.Ordinal)))
            bag.Report(Descriptors.UnsupportedVersion, doc.Version.Span, $"Taskfile version \"{v}\" is not supported", "Pipeline reads Taskfile version 3; write version: '3'");

        var names = new TaskNames(doc);
        var globalNames = new HashSet<string>(SpecialVariables.Concat(doc.Vars.Select(x => x.Name.Value)).Concat(doc.Env.Select(x => x.Name.Value)), StringComparer.Ordinal);
        var passedIn = CallerVariables(doc, names);

        foreach (var t in doc.Tasks)
        {
            foreach (var d in t.Deps) CheckReference(d.Task, names, bag, $"task \"{t.Name.Value}\" depends on", Descriptors.UnknownDependency);
            foreach (var c in t.Cmds)
                if (c.Call is { } call) CheckReference(call.Task, names, bag, $"task \"{t.Name.Value}\" calls", Descriptors.UnknownCalledTask);
            foreach (var p in t.Platforms.Concat(t.Cmds.SelectMany(c => c.Platforms))) CheckPlatform(p, bag);

            var known = new HashSet<string>(globalNames, StringComparer.Ordinal);
            known.UnionWith(t.Vars.Select(x => x.Name.Value));
            known.UnionWith(t.Env.Select(x => x.Name.Value));
            known.UnionWith(t.RequiredVars.Select(x => x.Value));
            if (passedIn.TryGetValue(t.Name.Value, out var fromCallers)) known.UnionWith(fromCallers);
            known.UnionWith(t.Cmds.Select(c => c.For?.As?.Value).Concat(t.Deps.Select(d => d.For?.As?.Value)).Where(n => n is not null).Select(n => n!));
            foreach (var field in TemplatedFields(t)) CheckTemplate(field, known, bag, t.Name.Value);

            // A task's own vars win over NAME=value, unless they read the same name ({{.X | default "d"}}).
            var fixedVariables = t.Vars.Where(x => x.Value is null || x.Value.Value.IndexOf("." + x.Name.Value, StringComparison.Ordinal) < 0)
                .Select(x => x.Name.Value).ToList();
            foreach (var command in ShellCommands(t)) ShellPasteRule.Check(command, fixedVariables, bag);
        }
        var rootKnown = new HashSet<string>(globalNames, StringComparer.Ordinal);
        foreach (var field in doc.Vars.Concat(doc.Env).Where(x => x.Value is not null).Select(x => x.Value!).Concat(doc.Dotenv))
            CheckTemplate(field, rootKnown, bag, null);
        foreach (var inc in doc.Includes)
        {
            CheckTemplate(inc.Taskfile, rootKnown, bag, null);
            foreach (var iv in inc.Vars.Where(x => x.Value is not null)) CheckTemplate(iv.Value!, rootKnown, bag, null);
        }
    }

    private static void CheckReference(LocatedString reference, TaskNames names, DiagnosticBag bag, string what, DiagnosticDescriptor descriptor)
    {
        if (names.IsAmbiguousAlias(reference.Value, out var owners))
        {
            bag.Report(descriptor, reference.Span, $"{what} \"{reference.Value}\", an alias of several tasks ({string.Join(", ", owners)})", "use the task's own name");
            return;
        }
        if (names.Resolve(reference.Value, out var external) is not null || external) return;
        if (reference.Value.IndexOf("{{", StringComparison.Ordinal) >= 0) return; // a templated name is known at run time
        var suggestion = Suggest.Closest(reference.Value.TrimStart(':'), names.All);
        bag.Report(descriptor, reference.Span, $"{what} unknown task \"{reference.Value}\"",
            suggestion is not null ? $"did you mean \"{suggestion}\"?" : $"tasks are: {string.Join(", ", names.All.Take(12))}");
    }

    private static void CheckPlatform(LocatedString platform, DiagnosticBag bag)
    {
        foreach (var part in platform.Value.Split('/'))
        {
            if (Platforms.Contains(part)) continue;
            var suggestion = Suggest.Closest(part, Platforms);
            bag.Report(Descriptors.InvalidValue, platform.Span, $"unknown platform \"{part}\"",
                suggestion is not null ? $"did you mean \"{suggestion}\"?" : "platforms are GOOS and/or GOARCH names such as linux, windows, darwin, amd64, arm64, or linux/amd64");
        }
    }

    /// <summary>For each task, the variable names some caller passes in (deps and task: calls with vars).</summary>
    private static Dictionary<string, HashSet<string>> CallerVariables(TaskfileDocument doc, TaskNames names)
    {
        var result = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var t in doc.Tasks)
        {
            var calls = t.Deps.Concat(t.Cmds.Where(c => c.Call is not null).Select(c => c.Call!));
            foreach (var call in calls)
            {
                if (names.Resolve(call.Task.Value, out _) is not { } target) continue;
                if (!result.TryGetValue(target, out var set)) result[target] = set = new HashSet<string>(StringComparer.Ordinal);
                set.UnionWith(call.Vars.Select(x => x.Name.Value));
            }
        }
        return result;
    }

    /// <summary>The strings of a task that a shell runs: commands, defers, status checks and preconditions.</summary>
    private static IEnumerable<LocatedString> ShellCommands(TaskfileTask t)
    {
        foreach (var c in t.Cmds) if (c.Script is not null) yield return c.Script;
        foreach (var s in t.Status) yield return s;
        foreach (var p in t.Preconditions) yield return p.Sh;
    }

    private static IEnumerable<LocatedString> TemplatedFields(TaskfileTask t)
    {
        foreach (var c in t.Cmds)
        {
            if (c.Script is not null) yield return c.Script;
            if (c.If is not null) yield return c.If;
            if (c.Call is not null) foreach (var v in c.Call.Vars) if (v.Value is not null) yield return v.Value;
        }
        foreach (var d in t.Deps) foreach (var v in d.Vars) if (v.Value is not null) yield return v.Value;
        if (t.Dir is not null) yield return t.Dir;
        if (t.If is not null) yield return t.If;
        foreach (var v in t.Vars.Concat(t.Env)) if (v.Value is not null) yield return v.Value;
        foreach (var s in t.Sources.Concat(t.Generates).Concat(t.Status).Concat(t.Dotenv).Concat(t.Prompt)) yield return s;
        foreach (var p in t.Preconditions)
        {
            yield return p.Sh;
            if (p.Message is not null) yield return p.Message;
        }
    }

    private static void CheckTemplate(LocatedString value, HashSet<string> known, DiagnosticBag bag, string? task)
    {
        if (value.Value.IndexOf("{{", StringComparison.Ordinal) < 0) return;
        var scan = GoTemplate.Scan(value.Value);
        foreach (var (start, length, message) in scan.Errors)
            bag.Report(Descriptors.TemplateSyntax, value.SpanOf(start, length), message, "close the action with }}; write {{\"{{\"}} for literal braces");
        if (scan.Errors.Count == 0)
        {
            // the scanner finds positions; the template engine that will run the string decides what parses
            try { Templates.Template.Parse(value.Value); }
            catch (Templates.TemplateException e)
            {
                var at = e.Offset is { } o && o < value.Value.Length ? o : 0;
                bag.Report(Descriptors.TemplateSyntax, value.SpanOf(at, Math.Min(value.Value.Length - at, 2)), e.Message,
                    "see docs/taskfile.md for the template functions Pipeline supports");
            }
        }
        foreach (var variable in scan.Variables)
        {
            if (known.Contains(variable.Name) || scan.Defaulted.Contains(variable.Name)) continue;
            var suggestion = Suggest.Closest(variable.Name, known.Where(k => !SpecialVariables.Contains(k)).Concat(SpecialVariables));
            var where = task is null ? "the Taskfile's vars or env" : $"task \"{task}\"'s vars, the Taskfile's vars or env, or its callers' vars";
            // Every OS environment variable is also a template variable, so an unknown name is only
            // a warning when it looks like a typo of a defined one.
            bag.Report(Descriptors.UndefinedTemplateVar, value.SpanOf(variable.Start, variable.Length),
                $"variable .{variable.Name} is not defined in {where}; go-task renders it as an empty string",
                suggestion is not null ? $"did you mean .{suggestion}?" : "define it under vars:, give it a default ({{.X | default \"value\"}}), or ignore this if it comes from the machine's environment",
                suggestion is not null ? Severity.Warning : Severity.Info);
        }
    }
}
