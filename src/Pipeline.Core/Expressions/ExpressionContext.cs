using System;
using System.Collections.Generic;

namespace Pipeline.Core.Expressions;

/// <summary>
/// What an expression can see at run time: the root names (<c>env</c>, <c>tasks</c>, <c>item</c>, ...)
/// and the run's status for success(), failure() and cancelled(). Built by the engine per task.
/// </summary>
public sealed class ExpressionContext
{
    private readonly Dictionary<string, ExprValue> _values = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>True when a task this one depends on (or, for callbacks, the task being handled) failed.</summary>
    public bool Failed { get; init; }

    /// <summary>True when the run has been cancelled.</summary>
    public bool Cancelled { get; init; }

    public ExpressionContext Set(string name, ExprValue value)
    {
        _values[name] = value;
        return this;
    }

    public bool TryGet(string name, out ExprValue value) => _values.TryGetValue(name, out value!);
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

    /// <summary>Properties of <c>workflow</c>.</summary>
    public static readonly IReadOnlyList<string> WorkflowProperties = new[] { "name", "version", "description", "category", "execution_id", "file", "started_at" };

    /// <summary>Properties of <c>tasks.&lt;id&gt;</c>.</summary>
    public static readonly IReadOnlyList<string> TaskProperties = new[] { "status", "exit_code", "outputs", "duration", "attempts", "error", "stdout", "stderr" };

    /// <summary>Properties of <c>trigger</c>.</summary>
    public static readonly IReadOnlyList<string> TriggerProperties = new[] { "type", "payload", "headers", "path", "files", "schedule" };

    public static bool IsRoot(string name)
    {
        foreach (var r in All)
            if (string.Equals(r, name, StringComparison.Ordinal)) return true;
        return false;
    }
}
