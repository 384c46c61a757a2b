using Pipeline.Core.Expressions;
using Pipeline.Core.Model;

namespace Pipeline.Engine.Running;

/// <summary>
/// Environment variables and expression contexts of task instances. Precedence, lowest first: the
/// engine's own process environment, the workflow's <c>environment</c>, <c>--env</c> overrides, the
/// env of the tasks that own an inline task (outermost first), the task's own <c>env</c>. Values may
/// use <c>${...}</c>; each level is rendered with the levels below it visible as <c>env</c>.
/// </summary>
internal sealed class RunEnvironment
{
    private readonly RunState _run;
    private readonly Dictionary<string, string> _process;
    private readonly Dictionary<string, string?> _workflow;
    private readonly Roots _roots;

    public RunEnvironment(RunState run)
    {
        _run = run;
        _process = Processes.InheritedEnvironment.ReadEngineVariables();

        var w = run.Workflow;
        _roots = new Roots(run, _process, WorkflowValues.Secrets(run.Options.Secrets),
            WorkflowValues.Workflow(w, run.ExecutionId, run.StartedAt), TriggerValue(run.Options.TriggerType, run.Options.Trigger));

        _workflow = new Dictionary<string, string?>(StringComparer.Ordinal);
        var context = NewContext(_workflow, failed: false, scope: null);
        foreach (var v in w.Environment) _workflow[v.Name.Value] = Render(v.Value.Value, context);
        foreach (var (k, v) in run.Options.Environment) _workflow[k] = v;
    }

    /// <summary>The engine's environment as the run started, as the run's processes inherit it (made on first use).</summary>
    public Processes.InheritedEnvironment Inherited => _inherited ??= new Processes.InheritedEnvironment(_process);
    private Processes.InheritedEnvironment? _inherited;

    /// <summary><c>trigger</c>: its type, and what it carried (payload, headers, path, files, schedule).</summary>
    internal static ExprValue TriggerValue(string type, TriggerDetails? details)
    {
        var d = details ?? new TriggerDetails();
        return ExprValue.Object(
        [
            new("type", ExprValue.String(type)),
            new("payload", d.Payload ?? ExprValue.Null),
            new("headers", ExprValue.Object(d.Headers.Select(h => new KeyValuePair<string, ExprValue>(h.Key, ExprValue.String(h.Value))))),
            new("path", ExprValue.String(d.Path)),
            new("files", ExprValue.Array(d.Files.Select(ExprValue.String))),
            new("schedule", ExprValue.String(d.Schedule)),
            new("scheduled_at", ExprValue.String(d.ScheduledAt?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture))),
        ]);
    }

    /// <summary>The variables a task adds to the inherited process environment.</summary>
    public IReadOnlyDictionary<string, string?> For(TaskDefinition task, IReadOnlyDictionary<string, ExprValue>? scope)
    {
        if (task.Owner is null && task.Env.Count == 0) return _workflow; // most tasks: no list to build
        var chain = new List<TaskDefinition>();
        for (var t = task; t is not null; t = t.Owner is null ? null : _run.Find(t.Owner)) chain.Add(t);
        if (chain.All(t => t.Env.Count == 0)) return _workflow;

        var env = new Dictionary<string, string?>(_workflow, StringComparer.Ordinal);
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            if (chain[i].Env.Count == 0) continue;
            var context = NewContext(env, failed: false, scope);
            var level = chain[i].Env.Select(v => (v.Name.Value, Render(v.Value.Value, context))).ToList();
            foreach (var (k, v) in level) env[k] = v;
        }
        return env;
    }

    /// <summary>The expression context of a task instance whose environment is <paramref name="env"/>.</summary>
    public ExpressionContext NewContext(IReadOnlyDictionary<string, string?> env, bool failed, IReadOnlyDictionary<string, ExprValue>? scope) =>
        new TaskExpressionContext(_roots, env, scope) { Failed = failed, Cancelled = _run.Cancelled };

    /// <summary>What every task's expressions see of the run, built once (see <see cref="TaskExpressionContext"/>).</summary>
    internal sealed class Roots(RunState run, IReadOnlyDictionary<string, string> process, ExprValue secrets, ExprValue workflow, ExprValue trigger)
    {
        public RunState Run => run;
        public ExprValue Secrets => secrets;
        public ExprValue Workflow => workflow;
        public ExprValue Trigger => trigger;

        /// <summary><c>env</c>: the engine's process environment under a task's own variables.</summary>
        public ExprValue Env(IReadOnlyDictionary<string, string?> env)
        {
            var all = new Dictionary<string, ExprValue>(StringComparer.OrdinalIgnoreCase);
            foreach (var (k, v) in process) all[k] = ExprValue.String(v);
            foreach (var (k, v) in env) all[k] = ExprValue.String(v ?? "");
            return ExprValue.Object(all);
        }
    }

    /// <summary>The task's <c>cwd</c>, else its owners', else the workflow's folder.</summary>
    public string WorkingDirectory(TaskDefinition task, ExpressionContext context)
    {
        for (var t = task; t is not null; t = t.Owner is null ? null : _run.Find(t.Owner))
            if (t.Cwd is { } cwd) return Path.GetFullPath(Render(cwd.Value, context), _run.WorkflowDirectory);
        return _run.WorkflowDirectory;
    }

    public static string Render(string value, ExpressionContext context) =>
        value.Contains("${", StringComparison.Ordinal) ? InterpolatedString.Parse(value).Render(context) : value;
}
