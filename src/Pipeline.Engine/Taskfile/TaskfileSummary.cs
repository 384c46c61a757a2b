using Pipeline.Core.Taskfile;
using Pipeline.Core.Taskfile.Templates;

namespace Pipeline.Engine.Taskfile;

/// <summary>
/// go-task's <c>--summary</c> of one task, byte for byte: its name (the label when it has one), its
/// summary or description, then <c>vars:</c>, <c>env:</c>, <c>requires:</c>, <c>dependencies:</c>,
/// <c>aliases:</c> and <c>commands:</c>, each when there is something to show. The task is compiled
/// as go-task's fast compile does: variables filled in, <c>sh:</c> variables not run (shown as
/// <c>sh: command</c>), secrets shown as <c>*****</c>. Variables of the OS environment, special
/// variables and the env's names are left out of <c>vars:</c>, as go-task does.
/// </summary>
public static class TaskfileSummary
{
    /// <summary>Between the summaries of several tasks: two empty lines.</summary>
    public const string Separator = "\n\n";

    public static async Task<string> RenderAsync(TaskfileProject project, TaskfileEntry entry, IReadOnlyDictionary<string, string> variables, CancellationToken ct = default)
    {
        var compiler = new TaskfileCompiler(project, new TaskfileRunOptions { Variables = variables }, dynamic: false);
        CompiledTask? compiled;
        try { compiled = await compiler.CompileAsync(entry, new Dictionary<string, object?>(), [], null, ct); }
        catch (TaskfileException) { compiled = null; } // a template that needs run-time values: show the task as written
        var data = compiled?.MaskedData ?? new Dictionary<string, object?>();
        string Render(string text, string where) => compiled is null ? text : TaskfileCompiler.Render(text, data, entry, where);

        var t = entry.Task;
        var o = new StringWriter { NewLine = "\n" };
        o.WriteLine($"task: {compiled?.Label ?? entry.Name}");
        o.WriteLine();
        if (t.Summary is { } summary)
        {
            var lines = Render(summary.Value, "summary").Split('\n');
            for (var i = 0; i < lines.Length; i++)
                if (i + 1 < lines.Length || lines[i].Length > 0) o.WriteLine(lines[i]);
        }
        else if (t.Desc is { } desc) o.WriteLine(Render(desc.Value, "desc"));
        else o.WriteLine("(task does not have description or summary)");

        var envDefinitions = EnvDefinitions(project, entry);
        var vars = VarDefinitions(project, entry, variables)
            .Where(v => !IsSpecial(v.Key) && !IsOsVariable(v.Key) && !envDefinitions.ContainsKey(v.Key)).ToList();
        if (vars.Count > 0)
        {
            o.WriteLine();
            o.WriteLine("vars:");
            foreach (var (name, definition) in vars) o.WriteLine($"  {name}: {Shown(name, definition, data, Render)}");
        }
        var env = envDefinitions.Where(v => !IsOsVariable(v.Key)).ToList();
        if (env.Count > 0)
        {
            o.WriteLine();
            o.WriteLine("env:");
            foreach (var (name, definition) in env) o.WriteLine($"  {name}: {Shown(name, definition, compiled?.Environment.ToDictionary(e => e.Key, e => (object?)e.Value) ?? data, Render)}");
        }
        if (t.RequiredVars.Count > 0)
        {
            o.WriteLine();
            o.WriteLine("requires:");
            o.WriteLine("  vars:");
            foreach (var v in t.RequiredVars)
            {
                if (t.RequiredEnums.TryGetValue(v.Value, out var allowed) && allowed.Count > 0)
                {
                    o.WriteLine($"    - {v.Value}:");
                    o.WriteLine("        enum:");
                    foreach (var a in allowed) o.WriteLine($"          - {a}");
                }
                else o.WriteLine($"    - {v.Value}");
            }
        }
        if (t.Deps.Count > 0)
        {
            o.WriteLine();
            o.WriteLine("dependencies:");
            foreach (var d in t.Deps) o.WriteLine($" - {Render(d.Task.Value, "deps")}");
        }
        if (t.Aliases.Count > 0)
        {
            o.WriteLine();
            o.WriteLine("aliases:");
            foreach (var a in t.Aliases) o.WriteLine($" - {a.Value}");
        }
        if (t.Cmds.Count > 0)
        {
            o.WriteLine();
            o.WriteLine("commands:");
            foreach (var c in t.Cmds)
                foreach (var iteration in Iterations(c, compiled))
                {
                    var scoped = compiled is null ? data : ForLoop.With(data, iteration);
                    string Text(string text, string where) => compiled is null ? text : TaskfileCompiler.Render(text, scoped, entry, where);
                    o.WriteLine(c.Kind == TaskfileCommandKind.Call ? $" - Task: {Text(c.Call!.Task.Value, "task")}" : $" - {Text(c.Script!.Value, "cmd")}");
                }
        }
        return o.ToString();
    }

    /// <summary>A <c>for:</c> command is shown once per iteration, as go-task's compiled task holds it.</summary>
    private static IEnumerable<Dictionary<string, object?>> Iterations(TaskfileCommand command, CompiledTask? compiled)
    {
        var loop = command.For ?? command.Call?.For;
        if (loop is null || compiled is null) return [new Dictionary<string, object?>()];
        try { return ForLoop.Iterations(loop, compiled); }
        catch (TaskfileException) { return [new Dictionary<string, object?>()]; }
    }

    /// <summary>A value as go-task's summary writes it: <c>"value"</c>, <c>sh: command</c>, or a map on indented lines.</summary>
    private static string Shown(string name, TaskfileVar? definition, IReadOnlyDictionary<string, object?> values, Func<string, string, string> render)
    {
        if (definition is { Kind: TaskfileVarKind.Sh }) return "sh: " + render(definition.Value?.Value ?? "", $"variable \"{name}\"");
        values.TryGetValue(name, out var value);
        if (value is IDictionary<string, object?> map)
            return map.Count == 0 ? "{}" : "\n" + string.Concat(map.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"    {e.Key}: {GoValues.Format(e.Value)}\n"));
        return value is null ? "\"\"" : $"\"{GoValues.Format(value)}\"";
    }

    /// <summary>The task's variables in go-task's order (first definition's position, last definition wins).</summary>
    private static List<KeyValuePair<string, TaskfileVar?>> VarDefinitions(TaskfileProject project, TaskfileEntry entry, IReadOnlyDictionary<string, string> cli)
    {
        var result = new List<KeyValuePair<string, TaskfileVar?>>();
        void Add(string name, TaskfileVar? definition)
        {
            var i = result.FindIndex(r => r.Key == name);
            if (i < 0) result.Add(new(name, definition));
            else result[i] = new(name, definition);
        }
        foreach (var v in project.Root.Document.Vars) Add(v.Name.Value, v);
        foreach (var name in cli.Keys) Add(name, null);
        foreach (var scope in entry.Scope.Chain().Skip(1))
        {
            foreach (var v in scope.IncludeVars) Add(v.Name.Value, v);
            foreach (var v in scope.Document.Vars) Add(v.Name.Value, v);
        }
        foreach (var v in entry.Task.Vars) Add(v.Name.Value, v);
        return result;
    }

    /// <summary>The env the task's commands get from the Taskfiles (root env and dotenv, the included files' env, the task's env).</summary>
    private static Dictionary<string, TaskfileVar?> EnvDefinitions(TaskfileProject project, TaskfileEntry entry)
    {
        var result = new Dictionary<string, TaskfileVar?>(StringComparer.Ordinal);
        foreach (var v in project.Root.Document.Env) result[v.Name.Value] = v;
        foreach (var scope in entry.Scope.Chain().Skip(1))
            foreach (var v in scope.Document.Env) result[v.Name.Value] = v;
        foreach (var v in entry.Task.Env) result[v.Name.Value] = v;
        return result;
    }

    private static bool IsOsVariable(string name) => Environment.GetEnvironmentVariable(name) is not null;

    /// <summary>Variables Task sets itself.</summary>
    private static bool IsSpecial(string name) =>
        name.StartsWith("TASK_", StringComparison.Ordinal) || name.StartsWith("CLI_", StringComparison.Ordinal) || name.StartsWith("ROOT_", StringComparison.Ordinal)
        || name is "TASK" or "TASKFILE" or "TASKFILE_DIR" or "USER_WORKING_DIR" or "ALIAS" or "MATCH";
}
