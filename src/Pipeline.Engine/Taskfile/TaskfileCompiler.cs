using System.Collections;
using System.Collections.Concurrent;
using Pipeline.Core.Taskfile;
using Pipeline.Core.Taskfile.Templates;
using Pipeline.Core.Yaml;

namespace Pipeline.Engine.Taskfile;

/// <summary>
/// Resolves a task's variables for one call, in go-task's order (later wins): the OS environment,
/// special variables, the Taskfile's <c>env</c>, its <c>vars</c> (with <c>NAME=value</c> from the command
/// line over them), each include's <c>vars</c> and the included file's own, the call's <c>vars</c>, then the
/// task's <c>vars</c>. Each variable is rendered with the ones before it. <c>sh:</c> variables run once per
/// command text and directory.
/// </summary>
internal sealed class TaskfileCompiler
{
    public const string SecretMask = "*****";

    private readonly TaskfileProject _project;
    private readonly TaskfileRunOptions _options;
    private readonly ConcurrentDictionary<(string Command, string Dir), Lazy<Task<string>>> _shCache = new();
    private readonly Dictionary<string, object?> _base;
    private readonly Lazy<Dictionary<string, string>> _rootDotenv;

    private readonly bool _dynamic;

    /// <summary>Where --verbose lines go (go-task prints each dynamic variable's result).</summary>
    public Action<string>? OnVerbose { get; init; }

    /// <param name="dynamic">False for listing: <c>sh:</c> variables are not run and read as "" (go-task's fast compile).</param>
    public TaskfileCompiler(TaskfileProject project, TaskfileRunOptions options, bool dynamic = true)
    {
        _project = project;
        _options = options;
        _dynamic = dynamic;
        _base = BaseData();
        _rootDotenv = new Lazy<Dictionary<string, string>>(() => ReadDotenv(project.Root.Document.Dotenv.Select(d => d.Value), _base, project.RootDirectory));
    }

    private Dictionary<string, object?> BaseData()
    {
        var data = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in System.Environment.GetEnvironmentVariables()) data[(string)e.Key] = e.Value as string;
        var root = _project.Root;
        data["ROOT_TASKFILE"] = root.TaskfilePath;
        data["ROOT_DIR"] = root.TaskfileDirectory;
        data["USER_WORKING_DIR"] = System.IO.Directory.GetCurrentDirectory();
        data["TASK_EXE"] = System.Environment.ProcessPath ?? "workflow";
        data["TASK_VERSION"] = _options.Version;
        data["PATH_LIST_SEPARATOR"] = Path.PathSeparator.ToString();
        data["FILE_PATH_SEPARATOR"] = Path.DirectorySeparatorChar.ToString();
        data["CLI_ARGS"] = string.Join(" ", _options.CliArgs.Select(ShellWords.Quote));
        data["CLI_ARGS_LIST"] = _options.CliArgs.Cast<object?>().ToList();
        data["CLI_FORCE"] = _options.Force;
        data["CLI_SILENT"] = _options.Silent;
        data["CLI_VERBOSE"] = _options.Verbose;
        data["CLI_OFFLINE"] = false;
        data["CLI_ASSUME_YES"] = _options.AssumeYes;
        return data;
    }

    /// <param name="secretCallVars">Names of <paramref name="callVars"/> the caller declared <c>secret: true</c>.</param>
    public async Task<CompiledTask> CompileAsync(TaskfileEntry entry, IReadOnlyDictionary<string, object?> callVars,
        IReadOnlyList<string> match, string? alias, CancellationToken ct, IEnumerable<string>? secretCallVars = null)
    {
        var data = new Dictionary<string, object?>(_base, StringComparer.Ordinal)
        {
            ["TASK"] = entry.Name,
            ["ALIAS"] = alias ?? entry.Name,
            ["TASKFILE"] = entry.Scope.TaskfilePath,
            ["TASKFILE_DIR"] = entry.Scope.TaskfileDirectory,
            ["MATCH"] = match.Cast<object?>().ToList(),
        };
        var secrets = new Secrets();
        var root = _project.Root;
        // The root dotenv files fill the Taskfile's env where it has no entry, so their values are
        // template variables too (go-task merges them into the env at setup).
        foreach (var (k, v) in _rootDotenv.Value) data[k] = v;
        await ApplyAsync(root.Document.Env, data, root.TaskfileDirectory, secrets, entry, ct);
        await ApplyAsync(root.Document.Vars, data, root.TaskfileDirectory, secrets, entry, ct);
        foreach (var (k, v) in _options.Variables) data[k] = v;
        foreach (var scope in entry.Scope.Chain().Skip(1))
        {
            await ApplyAsync(scope.IncludeVars, data, scope.TaskfileDirectory, secrets, entry, ct);
            await ApplyAsync(scope.Document.Vars, data, scope.TaskfileDirectory, secrets, entry, ct);
        }
        foreach (var (k, v) in callVars) data[k] = v;
        secrets.Names.UnionWith(secretCallVars ?? []);

        var task = entry.Task;
        var directory = Directory(entry, data);
        data["TASK_DIR"] = directory;
        await ApplyAsync(task.Vars, data, directory, secrets, entry, ct);
        directory = Directory(entry, data);
        data["TASK_DIR"] = directory;

        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (k, v) in _rootDotenv.Value) environment[k] = v;
        await AddEnvironmentAsync(root.Document.Env, data, root.TaskfileDirectory, environment, secrets, entry, ct);
        foreach (var scope in entry.Scope.Chain().Skip(1))
            await AddEnvironmentAsync(scope.Document.Env, data, scope.TaskfileDirectory, environment, secrets, entry, ct);
        foreach (var (k, v) in ReadDotenv(task.Dotenv.Select(d => Render(d.Value, data, entry, "dotenv")), data, directory)) environment[k] = v;
        await AddEnvironmentAsync(task.Env, data, directory, environment, secrets, entry, ct);

        // As in go-task v3: a variable the process environment already has keeps its value; the
        // Taskfile's env (and dotenv) only adds what is not set (the docs say why we follow it).
        foreach (var name in environment.Keys.Where(k => System.Environment.GetEnvironmentVariable(k) is not null).ToList())
            environment.Remove(name);

        var masked = new Dictionary<string, object?>(data, StringComparer.Ordinal);
        foreach (var name in secrets.Names) masked[name] = SecretMask;
        var label = task.Label is { } l ? Render(l.Value, data, entry, "label") : entry.Name;
        return new CompiledTask(entry, data, directory, environment, secrets.Values.ToList(), masked) { Label = label };
    }

    private string Directory(TaskfileEntry entry, IReadOnlyDictionary<string, object?> data)
    {
        var dir = entry.Task.Dir is { } d ? Render(d.Value, data, entry, "dir") : "";
        if (dir.StartsWith('~')) dir = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile) + dir[1..];
        return Path.GetFullPath(Path.Combine(entry.Scope.WorkingDirectory, dir));
    }

    private async Task ApplyAsync(IReadOnlyList<TaskfileVar> vars, Dictionary<string, object?> data, string dir,
        Secrets secrets, TaskfileEntry entry, CancellationToken ct)
    {
        foreach (var v in vars)
        {
            var value = await ValueAsync(v, data, dir, entry, ct);
            data[v.Name.Value] = value;
            if (v.Secret) secrets.Add(v.Name.Value, value is null ? null : GoValues.Format(value));
        }
    }

    private async Task AddEnvironmentAsync(IReadOnlyList<TaskfileVar> vars, Dictionary<string, object?> data, string dir,
        Dictionary<string, string?> environment, Secrets secrets, TaskfileEntry entry, CancellationToken ct)
    {
        foreach (var v in vars)
        {
            var value = await ValueAsync(v, data, dir, entry, ct);
            // Lists and maps are template values only: go-task exports strings, numbers and booleans.
            if (value is IList<object?> or IDictionary<string, object?>) continue;
            var text = value is null ? null : GoValues.Format(value);
            environment[v.Name.Value] = text;
            if (v.Secret) secrets.Add(v.Name.Value, text);
        }
    }

    /// <summary>One variable's value: static (typed, strings rendered), <c>sh:</c>, <c>ref:</c> or <c>map:</c>.</summary>
    public async Task<object?> ValueAsync(TaskfileVar v, IReadOnlyDictionary<string, object?> data, string dir, TaskfileEntry entry, CancellationToken ct)
    {
        var where = $"variable \"{v.Name.Value}\"";
        switch (v.Kind)
        {
            case TaskfileVarKind.Sh when !_dynamic:
                return "";
            case TaskfileVarKind.Sh:
                return await ShAsync(Render(v.Value?.Value ?? "", data, entry, where), dir, TaskfileEnvironment(data), ct);
            case TaskfileVarKind.Ref:
                try { return Template.Evaluate(v.Value?.Value ?? ".", data); }
                catch (TemplateException e) { throw new TaskfileTemplateException($"task \"{entry.Name}\" {where}", e.Message); }
            default:
                return v.Node is null ? null : RenderValue(GoValues.FromYaml(v.Node), data, entry, where);
        }
    }

    /// <summary>Renders every string inside a value (lists and maps included), keeping the value's shape.</summary>
    public static object? RenderValue(object? value, IReadOnlyDictionary<string, object?> data, TaskfileEntry entry, string where) => value switch
    {
        string s => Render(s, data, entry, where),
        IList<object?> list => list.Select(i => RenderValue(i, data, entry, where)).ToList(),
        IDictionary<string, object?> map => map.ToDictionary(e => e.Key, e => RenderValue(e.Value, data, entry, where), StringComparer.Ordinal),
        _ => value,
    };

    public static object? ValueOf(YamlNode node, IReadOnlyDictionary<string, object?> data, TaskfileEntry entry, string where) =>
        RenderValue(GoValues.FromYaml(node), data, entry, where);

    public static string Render(string text, IReadOnlyDictionary<string, object?> data, TaskfileEntry entry, string where)
    {
        try { return Template.Render(text, data); }
        catch (TemplateException e) { throw new TaskfileTemplateException($"task \"{entry.Name}\" {where}", e.Message); }
    }

    /// <summary>
    /// What a <c>sh:</c> variable's command sees besides the process environment: the root
    /// Taskfile's <c>env</c> and <c>dotenv</c> as far as they are known (go-task gives it the
    /// Taskfile's env), where the process environment does not already set them.
    /// </summary>
    private Dictionary<string, string?> TaskfileEnvironment(IReadOnlyDictionary<string, object?> data)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        var names = _rootDotenv.Value.Keys.Concat(_project.Root.Document.Env.Select(v => v.Name.Value));
        foreach (var name in names)
            if (System.Environment.GetEnvironmentVariable(name) is null && data.TryGetValue(name, out var value)
                && value is not (null or IList<object?> or IDictionary<string, object?>))
                environment[name] = GoValues.Format(value);
        return environment;
    }

    /// <summary>A dynamic variable: the command's stdout without its last newline, run once per text and directory.</summary>
    private Task<string> ShAsync(string command, string dir, Dictionary<string, string?> environment, CancellationToken ct) =>
        _shCache.GetOrAdd((command, dir), key => new Lazy<Task<string>>(async () =>
        {
            var spec = TaskfileShell.Spec(key.Command, key.Dir, environment);
            var outcome = await TaskfileShell.RunAsync(spec, (_, _) => { }, ct);
            if (outcome.ExitCode != 0)
                throw new TaskRunException("sh", $"command \"{key.Command}\" failed: exit status {outcome.ExitCode}{(outcome.Stderr.Length > 0 ? ": " + outcome.Stderr.Trim() : "")}", outcome.ExitCode);
            var text = outcome.Stdout;
            if (text.EndsWith("\r\n", StringComparison.Ordinal)) text = text[..^2];
            else if (text.EndsWith('\n')) text = text[..^1];
            OnVerbose?.Invoke($"task: dynamic variable: {GoQuote(key.Command)} result: {GoQuote(text)}");
            return text;
        })).Value;

    /// <summary>Go's %q for the common cases: double quotes, with backslash, quote and control characters escaped.</summary>
    internal static string GoQuote(string s)
    {
        var b = new System.Text.StringBuilder("\"");
        foreach (var c in s)
            b.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                < ' ' => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        return b.Append('"').ToString();
    }

    private static Dictionary<string, string> ReadDotenv(IEnumerable<string> files, IReadOnlyDictionary<string, object?> data, string dir)
    {
        // the first file to define a key wins; a missing file is skipped, as in go-task
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var path = Path.GetFullPath(Path.Combine(dir, Template.HasActions(file) ? Template.Render(file, data) : file));
            if (!File.Exists(path)) continue;
            foreach (var (k, v) in Dotenv.Parse(File.ReadAllText(path), System.Environment.GetEnvironmentVariable))
                result.TryAdd(k, v);
        }
        return result;
    }

    /// <summary>The variables declared secret while compiling: their names (echoes show them as *****) and values (masked in output).</summary>
    private sealed class Secrets
    {
        public HashSet<string> Names { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Values { get; } = new(StringComparer.Ordinal);

        public void Add(string name, string? value)
        {
            Names.Add(name);
            if (value is null) return;
            SecretTooShortException.Check(name, value);
            Values.Add(value);
        }
    }
}
