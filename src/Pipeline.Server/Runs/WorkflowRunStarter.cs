using System.Collections.Concurrent;
using Pipeline.Core.Model;
using Pipeline.Engine.Planning;
using Pipeline.Engine.Reporting;
using Pipeline.Engine.Running;
using Pipeline.Server.Hosting;
using Pipeline.Server.Webhooks;
using Pipeline.State;

namespace Pipeline.Server.Runs;

/// <summary>The run a delivery asks for cannot start (a secret of the workflow has no value on the server).</summary>
public sealed class RunRefusedException(string message) : Exception(message);

/// <summary>
/// Starts the runs triggers ask for: each an ordinary execution of the engine, recorded in the state
/// store with its trigger (history, status, monitor, health see it), with its report and logs. The
/// execution id is known before the run starts, so a webhook answers at once. <see cref="DrainAsync"/>
/// lets the running ones finish at shutdown, then stops the rest as Ctrl-C does.
/// </summary>
/// <param name="catalog">The workflows as served now (they change when files are edited).</param>
public sealed class WorkflowRunStarter(Func<WorkflowCatalog> catalog, IStateStore? store, string stateDirectory, TimeSpan gracePeriod) : IRunStarter
{
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _cleanup = new();

    public int Running => _running.Count;

    public Task<string> StartAsync(WebhookRoute route, TriggerDetails trigger, CancellationToken cancellationToken)
    {
        if (_stop.IsCancellationRequested) throw new RunRefusedException("the server is shutting down");
        var definition = catalog().Workflows.GetValueOrDefault(route.Workflow) ?? throw new RunRefusedException($"workflow '{route.Workflow}' is no longer served");
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var s in definition.Secrets)
        {
            var value = Environment.GetEnvironmentVariable(s.From);
            if (string.IsNullOrEmpty(value)) throw new RunRefusedException($"secret {s.Name.Value} of workflow '{definition.Name.Value}' has no value: set {s.From} in the server's environment");
            secrets[s.Name.Value] = value;
        }
        var executionId = WorkflowEngine.NewExecutionId();
        _running[executionId] = Task.Run(() => RunAsync(definition, executionId, "webhook", trigger, secrets));
        return Task.FromResult(executionId);
    }

    private async Task RunAsync(WorkflowDefinition definition, string executionId, string triggerType, TriggerDetails trigger, Dictionary<string, string> secrets)
    {
        try
        {
            using var report = new RunReportWriter(stateDirectory);
            var recording = new RunRecording(store, new RunContext
            {
                Trigger = triggerType,
                ContentHash = StateLocation.HashOf(definition.Path),
                LogPath = report.LogPath,
            });
            await new WorkflowEngine().RunAsync(ExecutionPlan.Create(definition), new RunOptions
            {
                ExecutionId = executionId,
                TriggerType = triggerType,
                Trigger = trigger,
                Secrets = secrets,
                GracePeriod = gracePeriod,
                CleanupToken = _cleanup.Token,
                Observers = recording.Observers(report),
            }, _stop.Token).ConfigureAwait(false);
            await recording.CompleteAsync().ConfigureAwait(false);
            recording.Finish(stateDirectory);
        }
        finally
        {
            _running.TryRemove(executionId, out _);
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
