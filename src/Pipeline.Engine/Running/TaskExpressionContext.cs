using Pipeline.Core.Expressions;

namespace Pipeline.Engine.Running;

/// <summary>
/// A task instance's expression roots, computed from the run and the instance only when an
/// expression reads them: most tasks never render one, and the engine makes a context per task.
/// <c>env</c> is the process environment under the task's own, <c>tasks</c> the results so far
/// (as of the first read), a loop item's <c>item</c> and <c>index</c> come from its scope.
/// </summary>
internal sealed class TaskExpressionContext(RunEnvironment.Roots roots, IReadOnlyDictionary<string, string?> env, IReadOnlyDictionary<string, ExprValue>? scope)
    : ExpressionContext
{
    protected override bool Resolve(string name, out ExprValue value)
    {
        // A loop's scope comes first, as it did when it was set over the run's roots.
        if (scope is not null && TryScope(name, out value)) return true;
        value = name.ToLowerInvariant() switch
        {
            ExpressionRoots.Env => roots.Env(env),
            ExpressionRoots.Tasks => roots.Run.TasksValue(),
            ExpressionRoots.Secrets => roots.Secrets,
            ExpressionRoots.Workflow => roots.Workflow,
            ExpressionRoots.Trigger => roots.Trigger,
            _ => null!,
        };
        return value is not null;
    }

    private bool TryScope(string name, out ExprValue value)
    {
        foreach (var (k, v) in scope!)
            if (string.Equals(k, name, StringComparison.OrdinalIgnoreCase))
            {
                value = v;
                return true;
            }
        value = null!;
        return false;
    }
}
