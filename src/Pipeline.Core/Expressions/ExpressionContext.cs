using System;
using System.Collections.Generic;

namespace Pipeline.Core.Expressions;

/// <summary>
/// What an expression can see at run time: the root names (<c>env</c>, <c>tasks</c>, <c>item</c>, ...)
/// and the run's status for success(), failure() and cancelled(). Built by the engine per task.
/// </summary>
/// <remarks>
/// The engine builds one per task instance, for thousands of tasks whose expressions mostly read
/// nothing: so the tables are made on first use, and a subclass may compute its roots itself
/// (<see cref="Resolve"/>) from what it already holds instead of filling tables it may never read.
/// </remarks>
public class ExpressionContext
{
    private Dictionary<string, ExprValue>? _values;
    private Dictionary<string, Func<ExprValue>>? _lazy;

    /// <summary>True when a task this one depends on (or, for callbacks, the task being handled) failed.</summary>
    public bool Failed { get; init; }

    /// <summary>True when the run has been cancelled.</summary>
    public bool Cancelled { get; init; }

    public ExpressionContext Set(string name, ExprValue value)
    {
        _lazy?.Remove(name);
        (_values ??= new Dictionary<string, ExprValue>(StringComparer.OrdinalIgnoreCase))[name] = value;
        return this;
    }

    /// <summary>
    /// A root computed on first use: the engine builds <c>tasks</c> and <c>env</c> only for the tasks whose
    /// expressions read them, so a run of thousands of plain tasks pays nothing for them.
    /// </summary>
    public ExpressionContext SetLazy(string name, Func<ExprValue> factory)
    {
        _values?.Remove(name);
        (_lazy ??= new Dictionary<string, Func<ExprValue>>(StringComparer.OrdinalIgnoreCase))[name] = factory;
        return this;
    }

    public bool TryGet(string name, out ExprValue value)
    {
        if (_values is not null && _values.TryGetValue(name, out value!)) return true;
        if (_lazy is not null && _lazy.TryGetValue(name, out var factory))
        {
            _lazy.Remove(name);
            value = factory();
        }
        else if (!Resolve(name, out value!)) return false;
        (_values ??= new Dictionary<string, ExprValue>(StringComparer.OrdinalIgnoreCase))[name] = value; // computed once per context
        return true;
    }

    /// <summary>
    /// Roots neither set nor lazily set here; the first value given is kept for the context's life.
    /// Names compare case-insensitively, as everywhere in expressions.
    /// </summary>
    protected virtual bool Resolve(string name, out ExprValue value)
    {
        value = null!;
        return false;
    }
}

/// <summary>The root names an expression may start with. Anything else inside ${...} belongs to the shell.</summary>
public static class ExpressionRoots
{
    public const string Env = "env";
    public const string Secrets = "secrets";
    public const string Tasks = "tasks";
    public const string Item = "item";
    public const string Index = "index";
    public const string Workflow = "workflow";
    public const string Trigger = "trigger";

    public static readonly IReadOnlyList<string> All = new[] { Env, Secrets, Tasks, Item, Index, Workflow, Trigger };

    /// <summary>
    /// <c>execution</c>: the finished run a notification reports (in notification settings and
    /// templates only; not a root elsewhere, so <c>${execution}</c> in a shell command stays the shell's).
    /// </summary>
    public const string Execution = "execution";

    /// <summary>Properties of <c>execution</c>.</summary>
    public static readonly IReadOnlyList<string> ExecutionProperties = new[]
    {
        "id", "status", "event", "duration", "duration_seconds", "error", "failed_task", "failed_tasks", "log", "status_command", "link",
        "started_at", "finished_at", "trigger", "tasks_total", "tasks_failed", "alert",
    };

    /// <summary>Properties of <c>workflow</c>.</summary>
    public static readonly IReadOnlyList<string> WorkflowProperties = new[] { "name", "version", "description", "category", "execution_id", "file", "started_at" };

    /// <summary>Properties of <c>tasks.&lt;id&gt;</c>.</summary>
    public static readonly IReadOnlyList<string> TaskProperties = new[] { "status", "exit_code", "outputs", "duration", "attempts", "error", "stdout", "stderr", "cached" };

    /// <summary>Properties of <c>trigger</c>.</summary>
    public static readonly IReadOnlyList<string> TriggerProperties = new[] { "type", "payload", "headers", "path", "files", "schedule", "scheduled_at" };

    public static bool IsRoot(string name)
    {
        foreach (var r in All)
            if (string.Equals(r, name, StringComparison.Ordinal)) return true;
        return false;
    }
}
