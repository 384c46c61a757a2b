using System;
using System.Collections.Generic;
using Pipeline.Core.Text;

namespace Pipeline.Core.Model;

/// <summary>
/// The fields every task has. Each task type is a sealed record deriving from this one with its
/// own fields. Tasks written inline (a parallel group's tasks, a loop's template, inline then/else)
/// are hoisted into the workflow's flat task list with <see cref="Owner"/> set, so every task has
/// one id, one place in the table and one way to be referenced.
/// </summary>
public abstract record TaskDefinition
{
    public required LocatedString Id { get; init; }
    public LocatedString? Name { get; init; }
    public abstract TaskType Type { get; }

    /// <summary>Tasks that must succeed before this one starts.</summary>
    public IReadOnlyList<TaskRef> DependsOn { get; init; } = Lists.Empty<TaskRef>();

    /// <summary>Seconds; null means no limit beyond the run's.</summary>
    public Located<int>? Timeout { get; init; }
    public RetryPolicy? Retry { get; init; }

    /// <summary>Tasks invoked when this one succeeds / fails (callbacks: they do not run otherwise).</summary>
    public IReadOnlyList<TaskRef> OnSuccess { get; init; } = Lists.Empty<TaskRef>();
    public IReadOnlyList<TaskRef> OnFailure { get; init; } = Lists.Empty<TaskRef>();

    /// <summary>
    /// An expression; the task runs only when it is true. For a conditional task it chooses then or else.
    /// Without a status function it means <c>success() &amp;&amp; (condition)</c>.
    /// </summary>
    public LocatedString? Condition { get; init; }
    public bool ContinueOnError { get; init; }
    public IReadOnlyList<NamedValue> Env { get; init; } = Lists.Empty<NamedValue>();
    public LocatedString? Cwd { get; init; }
    public IReadOnlyList<OutputDeclaration> Outputs { get; init; } = Lists.Empty<OutputDeclaration>();

    /// <summary>
    /// A failure does not stop the run: other tasks go on, this task's dependents are skipped, and the
    /// run still fails at the end (NUKE's ProceedAfterFailure). Set by build targets; workflow files
    /// use continue_on_error, which makes a failure count as success.
    /// </summary>
    public bool ProceedAfterFailure { get; init; }

    /// <summary>False when re-running the task after a crash would be unsafe (the run then fails instead of resuming).</summary>
    public bool Resumable { get; init; } = true;

    /// <summary>Messages about this task alone: its channels (settings from the workflow's notifications or the configuration) and on_success / on_failure.</summary>
    public NotificationSettings? Notifications { get; init; }

    /// <summary>
    /// Globs of the files the task reads (<c>src/**/*.cs</c>, <c>!**/bin/**</c> to leave some out),
    /// relative to its working directory. Their contents are part of the task's cache key.
    /// </summary>
    public IReadOnlyList<LocatedString> Inputs { get; init; } = Lists.Empty<LocatedString>();

    /// <summary>
    /// Globs of the files the task writes, relative to its working directory: kept in its cache
    /// entry and put back on a hit. (Named after go-task's field: <c>outputs</c> already names the
    /// values a task publishes through <c>$WORKFLOW_OUTPUT</c>.)
    /// </summary>
    public IReadOnlyList<LocatedString> Generates { get; init; } = Lists.Empty<LocatedString>();

    /// <summary>The <c>cache</c> field; null when absent (a task with inputs is then cached).</summary>
    public TaskCacheSettings? Cache { get; init; }

    /// <summary>
    /// The task's object as compact JSON, as written (null for tasks not read from a file, such as
    /// build targets). The cache key hashes it, so editing any field of the task invalidates its
    /// entries, while moving it in the file or re-indenting does not.
    /// </summary>
    public string? CanonicalJson { get => _canonicalJson ??= _canonicalJsonSource?.Invoke(); init => _canonicalJson = value; }
    private string? _canonicalJson;
    private Func<string>? _canonicalJsonSource;

    /// <summary>
    /// Makes <see cref="CanonicalJson"/> on first read (the reader's way: only a run with cached
    /// tasks hashes definitions, and writing every task's JSON cost a tenth of reading a large workflow).
    /// </summary>
    internal Func<string>? CanonicalJsonSource { init => _canonicalJsonSource = value; }

    /// <summary>The id of the parallel, loop or conditional task this one was written inside, if any.</summary>
    public string? Owner { get; init; }

    /// <summary>The span of the task's object in the file.</summary>
    public SourceSpan Span { get; init; }

    /// <summary>The span of the "type" value (or of the task when implied).</summary>
    public SourceSpan TypeSpan { get; init; }

    public string DisplayName => Name?.Value ?? Id.Value;

    /// <summary>Task references this task makes that invoke other tasks (callbacks and children).</summary>
    public virtual IEnumerable<(string Role, TaskRef Ref)> InvokedTasks()
    {
        foreach (var r in OnSuccess) yield return ("on_success", r);
        foreach (var r in OnFailure) yield return ("on_failure", r);
    }

    /// <summary>Strings of this task that may contain ${...}, with the field name for messages.</summary>
    public virtual IEnumerable<(string Field, LocatedString Value)> InterpolatedFields()
    {
        if (Name is not null) yield return ("name", Name);
        if (Cwd is not null) yield return ("cwd", Cwd);
        foreach (var e in Env) yield return ($"env.{e.Name.Value}", e.Value);
    }
}

public sealed record ShellTask : TaskDefinition
{
    public override TaskType Type => TaskType.Shell;
    public required LocatedString Command { get; init; }

    /// <summary>sh (default on Unix), bash, pwsh or cmd.</summary>
    public LocatedString? Shell { get; init; }

    /// <summary>Stream output lines as they come, prefixed with the task id.</summary>
    public bool LiveOutput { get; init; }

    public static readonly IReadOnlyList<string> Shells = new[] { "sh", "bash", "pwsh", "powershell", "cmd" };

    public override IEnumerable<(string Field, LocatedString Value)> InterpolatedFields()
    {
        foreach (var f in base.InterpolatedFields()) yield return f;
        yield return ("command", Command);
    }
}

public enum HttpAuthKind { Bearer, Basic }

public sealed record HttpAuth(HttpAuthKind Kind, LocatedString? Token, LocatedString? Username, LocatedString? Password, SourceSpan Span);

public sealed record HttpTask : TaskDefinition
{
    public static readonly IReadOnlyList<string> Methods = new[] { "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS" };

    public override TaskType Type => TaskType.Http;
    public required LocatedString Url { get; init; }
    public string Method { get; init; } = "GET";
    public IReadOnlyList<NamedValue> Headers { get; init; } = Lists.Empty<NamedValue>();

    /// <summary>The body as text; for a JSON object or array in the file, its compact JSON (sent as application/json).</summary>
    public LocatedString? Body { get; init; }
    public bool BodyIsJson { get; init; }
    public HttpAuth? Auth { get; init; }

    /// <summary>Accepted status codes; empty means any 2xx.</summary>
    public IReadOnlyList<int> ExpectStatus { get; init; } = Lists.Empty<int>();
    public bool FollowRedirects { get; init; } = true;

    public override IEnumerable<(string Field, LocatedString Value)> InterpolatedFields()
    {
        foreach (var f in base.InterpolatedFields()) yield return f;
        yield return ("url", Url);
        foreach (var h in Headers) yield return ($"headers.{h.Name.Value}", h.Value);
        if (Body is not null) yield return ("body", Body);
        if (Auth?.Token is not null) yield return ("auth.token", Auth.Token);
        if (Auth?.Username is not null) yield return ("auth.username", Auth.Username);
        if (Auth?.Password is not null) yield return ("auth.password", Auth.Password);
    }
}

/// <summary>An image a docker task builds before it runs: <c>docker build</c> of a folder.</summary>
public sealed record DockerBuild
{
    /// <summary>The build context, relative to the workflow's folder.</summary>
    public required LocatedString Context { get; init; }

    /// <summary>The Dockerfile, relative to the context (default <c>Dockerfile</c>).</summary>
    public LocatedString? Dockerfile { get; init; }
    public IReadOnlyList<NamedValue> Args { get; init; } = Lists.Empty<NamedValue>();

    /// <summary>The tag given to the image; by default one unique to the run and task.</summary>
    public LocatedString? Tag { get; init; }
    public SourceSpan Span { get; init; }
}

/// <summary>
/// A container run on a Docker engine: an <c>image</c> (pulled per <c>pull</c>) or one built first
/// (<c>build</c>), with the task's env, volumes and limits. The container's exit code is the task's.
/// </summary>
public sealed record DockerTask : TaskDefinition
{
    public static readonly IReadOnlyList<string> PullPolicies = new[] { "missing", "always", "never" };

    public override TaskType Type => TaskType.Docker;

    /// <summary>The image to run; null when <see cref="Build"/> makes it.</summary>
    public LocatedString? Image { get; init; }
    public DockerBuild? Build { get; init; }

    /// <summary>A string runs through the image's <c>/bin/sh -c</c>; a list (kept in <see cref="Args"/>) runs as it is.</summary>
    public LocatedString? Command { get; init; }
    public IReadOnlyList<LocatedString> Args { get; init; } = Lists.Empty<LocatedString>();

    /// <summary>Replaces the image's entrypoint: a program and its first arguments.</summary>
    public IReadOnlyList<LocatedString>? Entrypoint { get; init; }

    /// <summary><c>host:container[:ro]</c>; relative host paths resolve against the workflow's folder.</summary>
    public IReadOnlyList<LocatedString> Volumes { get; init; } = Lists.Empty<LocatedString>();
    public LocatedString? Workdir { get; init; }
    public LocatedString? User { get; init; }

    /// <summary>A memory limit in bytes (written <c>512m</c>, <c>2g</c>).</summary>
    public Located<long>? Memory { get; init; }

    /// <summary>CPUs the container may use (<c>0.5</c>, <c>2</c>).</summary>
    public Located<double>? Cpus { get; init; }

    /// <summary><c>none</c>, <c>host</c>, <c>bridge</c> or a network's name; the engine's default when absent.</summary>
    public LocatedString? Network { get; init; }
    public string Pull { get; init; } = "missing";

    /// <summary>Keep the container after the task (for debugging) instead of removing it.</summary>
    public bool Keep { get; init; }

    /// <summary>Remove the image <see cref="Build"/> made once the task is done.</summary>
    public bool CleanupImages { get; init; }

    /// <summary>Why a volume (<c>host:container[:ro|rw]</c>) cannot be mounted, or null.</summary>
    public static string? VolumeProblem(string volume)
    {
        var parts = volume.Split(':');
        if (parts.Length < 2 || parts.Length > 3 || parts[0].Length == 0 || parts[1].Length == 0)
            return "it must be host:container or host:container:ro";
        if (!parts[1].StartsWith("/", System.StringComparison.Ordinal)) return $"the container path \"{parts[1]}\" must be absolute";
        if (parts.Length == 3 && parts[2] is not ("ro" or "rw")) return $"the mode \"{parts[2]}\" must be ro or rw";
        return null;
    }

    public override IEnumerable<(string Field, LocatedString Value)> InterpolatedFields()
    {
        foreach (var f in base.InterpolatedFields()) yield return f;
        if (Image is not null) yield return ("image", Image);
        if (Command is not null) yield return ("command", Command);
        foreach (var a in Args) yield return ("args", a);
        foreach (var e in Entrypoint ?? Lists.Empty<LocatedString>()) yield return ("entrypoint", e);
        foreach (var v in Volumes) yield return ("volumes", v);
        if (Workdir is not null) yield return ("workdir", Workdir);
        if (User is not null) yield return ("user", User);
        if (Network is not null) yield return ("network", Network);
        if (Build is { } b)
        {
            yield return ("build.context", b.Context);
            if (b.Dockerfile is not null) yield return ("build.dockerfile", b.Dockerfile);
            if (b.Tag is not null) yield return ("build.tag", b.Tag);
            foreach (var a in b.Args) yield return ($"build.args.{a.Name.Value}", a.Value);
        }
    }
}

/// <summary>A javascript (node) or python (python3) script: inline <c>script</c> or a <c>file</c>, never both.</summary>
public abstract record ScriptTask : TaskDefinition
{
    public LocatedString? Script { get; init; }
    public LocatedString? File { get; init; }
    public IReadOnlyList<LocatedString> Args { get; init; } = Lists.Empty<LocatedString>();

    /// <summary>The program that runs it.</summary>
    public abstract string Interpreter { get; }

    public override IEnumerable<(string Field, LocatedString Value)> InterpolatedFields()
    {
        foreach (var f in base.InterpolatedFields()) yield return f;
        if (File is not null) yield return ("file", File);
        foreach (var a in Args) yield return ("args", a);
    }
}

public sealed record JavaScriptTask : ScriptTask
{
    public override TaskType Type => TaskType.JavaScript;
    public override string Interpreter => "node";
}

public sealed record PythonTask : ScriptTask
{
    public override TaskType Type => TaskType.Python;
    public override string Interpreter => "python3";
}

/// <summary>Runs <see cref="Then"/> when <see cref="TaskDefinition.Condition"/> is true, else <see cref="Else"/>.</summary>
public sealed record ConditionalTask : TaskDefinition
{
    public override TaskType Type => TaskType.Conditional;
    public IReadOnlyList<TaskRef> Then { get; init; } = Lists.Empty<TaskRef>();
    public IReadOnlyList<TaskRef> Else { get; init; } = Lists.Empty<TaskRef>();

    public override IEnumerable<(string Role, TaskRef Ref)> InvokedTasks()
    {
        foreach (var r in base.InvokedTasks()) yield return r;
        foreach (var r in Then) yield return ("then", r);
        foreach (var r in Else) yield return ("else", r);
    }
}

public enum WaitFor { All, Any, First }

/// <summary>Runs its tasks at the same time; finishes per <see cref="WaitFor"/>.</summary>
public sealed record ParallelTask : TaskDefinition
{
    public override TaskType Type => TaskType.Parallel;
    public IReadOnlyList<TaskRef> Tasks { get; init; } = Lists.Empty<TaskRef>();
    public WaitFor WaitFor { get; init; } = WaitFor.All;

    public override IEnumerable<(string Role, TaskRef Ref)> InvokedTasks()
    {
        foreach (var r in base.InvokedTasks()) yield return r;
        foreach (var r in Tasks) yield return ("tasks", r);
    }
}

/// <summary>Runs a template task once per item, with ${item} and ${index}.</summary>
public sealed record LoopTask : TaskDefinition
{
    public override TaskType Type => TaskType.Loop;

    /// <summary>Literal items; null when <see cref="ItemsExpression"/> is used.</summary>
    public IReadOnlyList<Expressions.ExprValue>? Items { get; init; }

    /// <summary>An expression yielding an array, e.g. <c>${fromJSON(tasks.list.outputs.files)}</c>.</summary>
    public LocatedString? ItemsExpression { get; init; }
    public SourceSpan ItemsSpan { get; init; }
    public required TaskRef Template { get; init; }

    /// <summary>How many items run at once: 1 is sequential (the default); <c>"parallel": true</c> means no limit (0).</summary>
    public int Parallelism { get; init; } = 1;
    public bool StopOnFailure { get; init; } = true;

    public override IEnumerable<(string Role, TaskRef Ref)> InvokedTasks()
    {
        foreach (var r in base.InvokedTasks()) yield return r;
        yield return ("task", Template);
    }
}

public sealed record SqlTask : TaskDefinition
{
    public static readonly IReadOnlyList<string> Providers = new[] { "postgres", "sqlite" };

    public override TaskType Type => TaskType.Sql;

    /// <summary>The connection string, usually <c>${secrets.DB}</c>.</summary>
    public required LocatedString Connection { get; init; }

    /// <summary>postgres or sqlite; inferred from the connection string when absent.</summary>
    public LocatedString? Provider { get; init; }
    public LocatedString? Query { get; init; }
    public LocatedString? File { get; init; }

    /// <summary>Named parameters (<c>@name</c> in the query), so values are never spliced into SQL text.</summary>
    public IReadOnlyList<NamedValue> Parameters { get; init; } = Lists.Empty<NamedValue>();

    /// <summary>The whole task in one transaction: a failure, a timeout or a cancellation rolls it all back.</summary>
    public bool Transaction { get; init; }

    /// <summary>A folder of <c>*.sql</c> files applied in name order, each once, each in its own transaction (tracked in <c>pipeline_migrations</c>).</summary>
    public LocatedString? Migrations { get; init; }

    /// <summary>An applied migration file may change: its new checksum is recorded, and it is not applied again.</summary>
    public bool AllowChanged { get; init; }

    public override IEnumerable<(string Field, LocatedString Value)> InterpolatedFields()
    {
        foreach (var f in base.InterpolatedFields()) yield return f;
        yield return ("connection", Connection);
        foreach (var p in Parameters) yield return ($"parameters.{p.Name.Value}", p.Value);
    }
}
