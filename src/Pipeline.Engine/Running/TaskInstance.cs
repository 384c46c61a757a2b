using Pipeline.Core.Expressions;

namespace Pipeline.Engine.Running;

/// <summary>Who runs a task and with what around it.</summary>
internal sealed record TaskInstance
{
    public required string InstanceId { get; init; }
    public string Role { get; init; } = "dag";
    public string? Parent { get; init; }

    /// <summary>Extra expression roots (a loop item's <c>item</c> and <c>index</c>).</summary>
    public IReadOnlyDictionary<string, ExprValue>? Scope { get; init; }

    /// <summary>A task it depends on, or the task a callback handles, failed: <c>failure()</c> is true.</summary>
    public bool UpstreamFailed { get; init; }

    /// <summary>For callbacks: the result of the task being handled, exposed as WORKFLOW_TASK_* variables.</summary>
    public TaskResult? Subject { get; init; }

    /// <summary>The scheduler already took a slot for this instance.</summary>
    public bool HoldsSlot { get; init; }

    public bool IsCallback => Role is "on_success" or "on_failure";
}
