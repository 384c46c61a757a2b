using Pipeline.Core.Expressions;
using Pipeline.Core.Model;

namespace Pipeline.Engine.Running;

/// <summary>
/// The group a run's concurrency policy counts in: the workflow's <c>concurrency.group</c> rendered
/// with what started the run (<c>trigger.*</c>, <c>env.*</c>, <c>workflow.name</c>), so
/// <c>${trigger.payload.ref}</c> puts runs of different branches in different groups. Null when the
/// workflow names no group: one group, the workflow.
/// </summary>
public static class ConcurrencyGroup
{
    /// <exception cref="ExpressionException">The group expression fails for this trigger.</exception>
    public static string? Of(WorkflowDefinition workflow, string triggerType, TriggerDetails? trigger)
    {
        if (workflow.ConcurrencyGroup is not { } group) return null;
        var context = new ExpressionContext()
            .Set(ExpressionRoots.Trigger, RunEnvironment.TriggerValue(triggerType, trigger))
            .Set(ExpressionRoots.Workflow, ExprValue.Object([new("name", ExprValue.String(workflow.Name.Value))]))
            .SetLazy(ExpressionRoots.Env, () => ExprValue.Object(System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
                .Select(e => new KeyValuePair<string, ExprValue>((string)e.Key, ExprValue.String((string?)e.Value ?? "")))));
        return RunEnvironment.Render(group.Value, context);
    }
}
