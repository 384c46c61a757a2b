using Pipeline.Engine.Events;

namespace Pipeline.State;

/// <summary>
/// How one run (`workflow run` of a workflow or a Taskfile, or a build project's run) is written to the state store: the store's
/// pipeline goes first among the observers, so every state change is stored before the report or
/// the display sees it; afterwards, old runs are pruned and anything that went wrong is one warning.
/// Without a store (it could not be opened) the run goes on with its report and logs only.
/// </summary>
public sealed class RunRecording(IStateStore? store, RunContext context)
{
    private readonly StateRecorder? _recorder = store is null ? null : new StateRecorder(store, context);
    private DurablePipeline? _durable;

    /// <summary>The observers to run with: the store's pipeline in front of <paramref name="downstream"/>, or those alone.</summary>
    public IRunObserver[] Observers(params IRunObserver[] downstream)
    {
        if (_recorder is null) return downstream;
        _durable = new DurablePipeline(store!, _recorder, downstream);
        return [_durable];
    }

    /// <summary>Waits until every event of the run is stored and handed on.</summary>
    public Task CompleteAsync() => _durable?.CompleteAsync() ?? Task.CompletedTask;

    /// <summary>Waits until the events published so far are stored and handed on; the run goes on.</summary>
    public Task FlushAsync() => _durable?.FlushAsync() ?? Task.CompletedTask;

    /// <summary>
    /// Applies the retention (when the run was recorded whole and <paramref name="retention"/> is set)
    /// and returns the warnings to show: old runs that could not be removed, a run not recorded
    /// whole, a display or report that failed.
    /// </summary>
    public IReadOnlyList<string> Finish(string stateDirectory, bool retention = true)
    {
        var warnings = new List<string>();
        if (retention && store is not null && _recorder?.Error is null && Retention.Days > 0)
        {
            try { Retention.Apply(store, stateDirectory, DateTimeOffset.UtcNow.AddDays(-Retention.Days)); }
            catch (StateStoreException e) { warnings.Add($"could not remove old runs: {e.Message}"); }
        }
        if (_recorder?.Error is { } stateError) warnings.Add($"the run was not fully recorded in the state database: {stateError}");
        if (_durable?.ObserverError is { } observerError) warnings.Add($"the display or the report failed: {observerError.GetType().Name}: {observerError.Message}");
        return warnings;
    }
}
