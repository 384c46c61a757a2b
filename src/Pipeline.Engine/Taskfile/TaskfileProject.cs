using System.Text.RegularExpressions;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Loading;
using Pipeline.Core.Taskfile;
using Pipeline.Core.Taskfile.Templates;
using Pipeline.Core.Text;

namespace Pipeline.Engine.Taskfile;

/// <summary>
/// A root Taskfile with its includes loaded: every task under its full name, and go-task's name
/// resolution (exact name, then alias, then the bare namespace's default task, then wildcard).
/// </summary>
public sealed class TaskfileProject
{
    private readonly Dictionary<string, TaskfileEntry> _tasks = new(StringComparer.Ordinal);
    private readonly List<TaskfileEntry> _ordered = [];
    private readonly List<(Regex Pattern, TaskfileEntry Entry)> _wildcards = [];
    private readonly Dictionary<string, string> _namespaceAliases = new(StringComparer.Ordinal);

    private TaskfileProject(TaskfileScope root) => Root = root;

    public TaskfileScope Root { get; }

    public string RootDirectory => Root.TaskfileDirectory;

    /// <summary>Every task in declaration order, root tasks first.</summary>
    public IReadOnlyList<TaskfileEntry> Tasks => _ordered;

    /// <summary>Loads the includes of a Taskfile already read and validated.</summary>
    /// <exception cref="TaskfileInvalidException">An include is missing, invalid or cyclic, or two flattened tasks clash.</exception>
    public static TaskfileProject Load(TaskfileDocument root)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(root.Path))!;
        var scope = new TaskfileScope(root, "", directory, directory, [], false, null);
        var project = new TaskfileProject(scope);
        var stack = new List<string> { Path.GetFullPath(root.Path) };
        project.Add(scope, stack);
        return project;
    }

    private void Add(TaskfileScope scope, List<string> stack)
    {
        foreach (var task in scope.Document.Tasks)
        {
            var name = scope.Namespace + task.Name.Value;
            var entry = new TaskfileEntry(name, task, scope);
            if (_tasks.TryGetValue(name, out var clash))
                throw Invalid(Descriptors.ConflictingFields, task.Name.Span,
                    $"task: Found multiple tasks ({task.Name.Value}) included by \"{scope.Namespace.TrimEnd(':')}\"",
                    $"\"{name}\" is also defined in {clash.Scope.Document.Path}; rename one or drop flatten");
            _tasks[name] = entry;
            _ordered.Add(entry);
            if (task.Name.Value.Contains('*'))
                _wildcards.Add((new Regex("^" + string.Join("(.*)", name.Split('*').Select(Regex.Escape)) + "$", RegexOptions.CultureInvariant), entry));
        }
        foreach (var include in scope.Document.Includes)
        {
            var path = IncludePath(include, scope);
            if (path is null)
            {
                if (include.Optional) continue;
                throw Invalid(Descriptors.IncludeNotFound, include.Taskfile.Span,
                    $"included Taskfile \"{include.Taskfile.Value}\" ({include.Namespace.Value}) not found", "check the path, or add optional: true");
            }
            var index = stack.IndexOf(path);
            if (index >= 0)
                throw Invalid(Descriptors.IncludeCycle, include.Taskfile.Span,
                    $"task: include cycle detected between {Relative(stack[^1])} <--> {Relative(path)}", "remove one of the two includes");
            if (include.Checksum is { } expected)
            {
                // go-task pins an included file by the SHA-256 of its bytes.
                var actual = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))).ToLowerInvariant();
                if (!string.Equals(actual, expected.Value.Trim(), StringComparison.OrdinalIgnoreCase))
                    throw new IncludeChecksumException(path, actual, expected.Value);
            }
            // An include is always a Taskfile, whatever its file name (other.yml, Taskfile2.yml).
            var read = WorkflowLoader.Load(path, WorkflowFileKind.Taskfile);
            var errors = read.Diagnostics.Where(d => d.Severity == Severity.Error).ToList();
            if (errors.Count > 0 || read.Taskfile is null) throw new TaskfileInvalidException(errors);

            var ns = include.Flatten ? scope.Namespace : scope.Namespace + include.Namespace.Value + ":";
            var dir = include.Dir is { } d ? Path.GetFullPath(Path.Combine(scope.TaskfileDirectory, Render(d.Value, scope))) : scope.WorkingDirectory;
            var child = new TaskfileScope(read.Taskfile, ns, Path.GetDirectoryName(path)!, dir, include.Vars, scope.Internal || include.Internal, scope);
            var excluded = include.Excludes.Select(e => e.Value).ToHashSet(StringComparer.Ordinal);
            if (excluded.Count > 0)
                child = child with { Document = read.Taskfile with { Tasks = read.Taskfile.Tasks.Where(t => !excluded.Contains(t.Name.Value)).ToList() } };
            foreach (var alias in include.Aliases) _namespaceAliases[scope.Namespace + alias.Value] = scope.Namespace + include.Namespace.Value;
            stack.Add(path);
            Add(child, stack);
            stack.RemoveAt(stack.Count - 1);
        }
    }

    private static string? IncludePath(TaskfileInclude include, TaskfileScope scope)
    {
        var raw = Render(include.Taskfile.Value, scope);
        if (raw.StartsWith('~')) raw = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + raw[1..];
        var path = Path.GetFullPath(Path.Combine(scope.TaskfileDirectory, raw));
        if (File.Exists(path)) return path;
        if (!Directory.Exists(path)) return null;
        return WorkflowFiles.TaskfileIn(path);
    }

    /// <summary>Include paths may use the special directory variables and the environment.</summary>
    private static string Render(string text, TaskfileScope scope)
    {
        if (!Template.HasActions(text)) return text;
        var data = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables()) data[(string)e.Key] = e.Value as string;
        var root = scope.Chain().First();
        data["ROOT_DIR"] = root.TaskfileDirectory;
        data["TASKFILE_DIR"] = scope.TaskfileDirectory;
        data["USER_WORKING_DIR"] = Directory.GetCurrentDirectory();
        try { return Template.Render(text, data); }
        catch (TemplateException e) { throw new TaskfileTemplateException("include", e.Message); }
    }

    private static string Relative(string path) => Path.GetRelativePath(Directory.GetCurrentDirectory(), path);

    private static TaskfileInvalidException Invalid(DiagnosticDescriptor descriptor, SourceSpan span, string message, string hint) =>
        new([new Diagnostic(descriptor, span, message, hint)]);

    /// <summary>
    /// The task a reference names. A reference made inside an included Taskfile gets that file's namespace,
    /// unless it starts with ':' (the root). <paramref name="match"/> is what a wildcard captured.
    /// </summary>
    /// <exception cref="TaskNotFoundException">No task has that name, alias or pattern.</exception>
    /// <exception cref="AmbiguousTaskException">An alias names several tasks.</exception>
    /// <summary>Names declared <c>secret: true</c> anywhere: the Taskfiles' vars and env, includes' vars, tasks' vars and env.</summary>
    public HashSet<string> SecretNames()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        void Add(IEnumerable<Core.Taskfile.TaskfileVar> vars) { foreach (var v in vars) if (v.Secret) names.Add(v.Name.Value); }
        Add(Root.Document.Vars);
        Add(Root.Document.Env);
        foreach (var entry in _ordered)
        {
            foreach (var scope in entry.Scope.Chain())
            {
                Add(scope.Document.Vars);
                Add(scope.Document.Env);
                Add(scope.IncludeVars);
            }
            Add(entry.Task.Vars);
            Add(entry.Task.Env);
        }
        return names;
    }

    public TaskfileEntry Resolve(string reference, TaskfileScope? from, out IReadOnlyList<string> match, out string? alias)
    {
        match = [];
        alias = null;
        var name = reference.StartsWith(':') ? reference[1..] : (from?.Namespace ?? "") + reference;
        foreach (var (aliasNs, ns) in _namespaceAliases)
            if (name.StartsWith(aliasNs + ":", StringComparison.Ordinal)) name = ns + name[aliasNs.Length..];
            else if (name == aliasNs) name = ns;
        if (_tasks.TryGetValue(name, out var exact)) return exact;

        var byAlias = _ordered.Where(e => e.Aliases.Contains(name, StringComparer.Ordinal)).ToList();
        if (byAlias.Count > 1) throw new AmbiguousTaskException(name, byAlias.Select(e => e.Name));
        if (byAlias.Count == 1)
        {
            alias = name;
            return byAlias[0];
        }
        if (_tasks.TryGetValue(name + ":default", out var namespaceDefault)) return namespaceDefault;
        foreach (var (pattern, entry) in _wildcards)
        {
            var m = pattern.Match(name);
            if (!m.Success) continue;
            match = m.Groups.Cast<Group>().Skip(1).Select(g => g.Value).ToList();
            return entry;
        }
        var visible = _ordered.Where(e => !e.IsInternal).Select(e => e.Name);
        throw new TaskNotFoundException(reference, Core.Suggest.Closest(name, visible));
    }
}
