using System.Collections.Concurrent;
using Pipeline.Core.Model;
using Pipeline.Engine.Planning;
using Pipeline.Engine.Reporting;
using Pipeline.Engine.Running;
using Pipeline.Executors.Docker;
using Pipeline.Notifications;
using Pipeline.Notifications.Messages;
using Pipeline.Server.Hosting;
using Pipeline.State;

namespace Pipeline.Server.Runs;

/// <summary>
/// Starts the runs triggers ask for: each an ordinary execution of the engine, recorded in the state
/// store with its trigger (history, status, monitor, health see it), with its report and logs. The
/// execution id is known before the run starts, so a webhook answers at once. A request's claim key
/// (a delivery id, a fire time) starts at most one run (<see cref="TriggerClaims"/>). <see cref="DrainAsync"/>
/// lets the running ones finish at shutdown, then stops the rest as Ctrl-C does.
/// </summary>
/// <param name="catalog">The workflows as served now (they change when files are edited).</param>
public sealed class WorkflowRunStarter(Func<WorkflowCatalog> catalog, IStateStore? store, string stateDirectory, TimeSpan gracePeriod, TriggerClaims claims) : IRunStarter
{
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _cleanup = new();
    private readonly ServedConcurrency _concurrency = new(store);

    /// <summary>Where the starter says what it decided (a run skipped, queued behind another, stopped first).</summary>
    public Action<string> Log { get; init; } = _ => { };

    /// <summary>Sends each run's notifications and alerts (null: none are sent).</summary>
    public RunNotifier? Notifier { get; init; }

    public int Running => _running.Count;

    public Task<StartedRun> StartAsync(RunRequest request, CancellationToken cancellationToken)
    {
        if (_stop.IsCancellationRequested) throw new RunRefusedException("the server is shutting down");
        var definition = catalog().Workflows.GetValueOrDefault(request.Workflow) ?? throw new RunRefusedException($"workflow '{request.Workflow}' is no longer served");
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var s in definition.Secrets)
        {
            var value = Environment.GetEnvironmentVariable(s.From);
            if (string.IsNullOrEmpty(value)) throw new RunRefusedException($"secret {s.Name.Value} of workflow '{definition.Name.Value}' has no value: set {s.From} in the server's environment");
            secrets[s.Name.Value] = value;
        }
        string? group;
        try { group = ConcurrencyGroup.Of(definition, request.TriggerType, request.Trigger); }
        catch (Pipeline.Core.Expressions.ExpressionException e) { throw new RunRefusedException($"the concurrency group of workflow '{definition.Name.Value}' cannot be worked out for this trigger: {e.Message}"); }
        if (request.ClaimKey is { } key && claims.Claim(key, request.ExecutionId) is { } earlier)
            return Task.FromResult(new StartedRun(earlier, Replayed: true));
        _running[request.ExecutionId] = Task.Run(() => RunAsync(definition, request, group, secrets));
        return Task.FromResult(new StartedRun(request.ExecutionId));
    }

    private async Task RunAsync(WorkflowDefinition definition, RunRequest request, string? group, Dictionary<string, string> secrets)
    {
        var executionId = request.ExecutionId;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        try
        {
            using var report = new RunReportWriter(stateDirectory);
            var context = new RunContext
            {
                Trigger = request.TriggerType,
                TriggerData = request.TriggerData,
                ConcurrencyGroup = group,
                ContentHash = StateLocation.HashOf(definition.Path),
                LogPath = report.LogPath,
            };
            using var passage = await _concurrency.PassAsync(definition, context.Execution(executionId, definition, DateTimeOffset.UtcNow), cancel, Log, _stop.Token).ConfigureAwait(false);
            if (!passage.Run)
            {
                Log($"execution {executionId} of '{definition.Name.Value}' {passage.EndedAs} (concurrency: {definition.Concurrency})");
                return;
            }
            var recording = new RunRecording(store, context);
            RunResult result;
            try
            {
                result = await new WorkflowEngine().RunAsync(ExecutionPlan.Create(definition), new RunOptions
                {
                    ExecutionId = executionId,
                    Executors = DockerExecutors.Overrides,
                    TriggerType = request.TriggerType,
                    Trigger = request.Trigger,
                    Secrets = secrets,
                    GracePeriod = gracePeriod,
                    CleanupToken = _cleanup.Token,
                    Observers = recording.Observers(report),
                }, cancel.Token).ConfigureAwait(false);
            }
            finally
            {
                // Even when the engine throws: the recording's pump has a thread of its own, which a
                // long-running server must not leave waiting for events that never come.
                await recording.CompleteAsync().ConfigureAwait(false);
            }
            recording.Finish(stateDirectory);
            if (Notifier is not null && RunNotifier.HasAny(definition))
                await NotifyAsync(definition, request, secrets, result).ConfigureAwait(false);
        }
        finally
        {
            _running.TryRemove(executionId, out _);
        }
    }

    /// <summary>The run's notifications; what fails is logged, and shutdown waits at most their delivery timeout.</summary>
    private async Task NotifyAsync(WorkflowDefinition definition, RunRequest request, Dictionary<string, string> secrets, RunResult result)
    {
        try
        {
            var scope = new RunScope { Workflow = definition, Secrets = secrets, Trigger = request.TriggerType };
            foreach (var o in await Notifier!.NotifyAsync(scope, result, store, _cleanup.Token).ConfigureAwait(false))
                Log(o.Delivered
                    ? $"execution {result.ExecutionId}: notified {o.Channel} ({o.Event})"
                    : $"execution {result.ExecutionId}: notification {o.Channel} ({o.Event}) {o.Status} after {o.Attempts} attempt(s): {o.Error}");
        }
        catch (StateStoreException e)
        {
            Log($"execution {result.ExecutionId}: alerts were not judged: the state store failed: {e.Message}");
        }
    }

    /// <summary>Stops starting runs, waits up to <paramref name="timeout"/> for the running ones, then cancels them and waits for their clean-up.</summary>
    public async Task DrainAsync(TimeSpan timeout, CancellationToken now)
    {
        var all = Task.WhenAll(_running.Values.ToList());
        using var stopNow = now.Register(() => { _stop.Cancel(); _cleanup.Cancel(); });
        if (await Task.WhenAny(all, Task.Delay(timeout, CancellationToken.None)).ConfigureAwait(false) != all) _stop.Cancel();
        await Task.WhenAll(_running.Values.ToList()).ConfigureAwait(false);
    }
}
