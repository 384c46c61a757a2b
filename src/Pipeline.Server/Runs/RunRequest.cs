using Pipeline.Engine.Running;

namespace Pipeline.Server.Runs;

/// <summary>
/// A trigger asks for a run of <see cref="Workflow"/>. The execution id is chosen before the run
/// starts, so a webhook can answer at once. <see cref="ClaimKey"/> names the firing or delivery (a
/// schedule's fire time, a webhook's delivery id): the same key never starts two runs, across restarts.
/// </summary>
public sealed record RunRequest(string Workflow, string TriggerType, TriggerDetails Trigger)
{
    public string ExecutionId { get; init; } = WorkflowEngine.NewExecutionId();

    /// <summary>What the trigger carried, as JSON for the state store (a schedule's firing time, a webhook's payload).</summary>
    public string? TriggerData { get; init; }

    public string? ClaimKey { get; init; }
}

/// <summary>The run a request started, or the one an earlier request with the same claim key started (<see cref="Replayed"/>).</summary>
public sealed record StartedRun(string ExecutionId, bool Replayed = false);

/// <summary>Starts the runs triggers ask for.</summary>
public interface IRunStarter
{
    /// <exception cref="RunRefusedException">The run cannot start (the server is stopping, the workflow is gone, a secret is not set).</exception>
    Task<StartedRun> StartAsync(RunRequest request, CancellationToken cancellationToken);
}

/// <summary>The run a trigger asks for cannot start (a secret of the workflow has no value on the server).</summary>
public sealed class RunRefusedException(string message) : Exception(message);
