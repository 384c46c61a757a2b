using System.Threading.Channels;
using Pipeline.Core.Expressions;
using Pipeline.Core.Model;
using Pipeline.Engine.Executors;

namespace Pipeline.Engine.Running;

/// <summary>
/// Starts every DAG task whose dependencies are done, up to the run's slots, longest remaining path
/// first. One loop owns the ready queue; finished tasks and freed slots wake it through a channel.
/// <list type="bullet">
/// <item>A task whose dependencies all succeeded (or failed with continue_on_error) runs.</item>
/// <item>Otherwise it is skipped with the reason, unless its condition calls a status function
/// (<c>always()</c>, <c>failure()</c>, ...): then the condition decides, as in GitHub Actions.</item>
/// <item>Once the run is failing or cancelled, nothing new starts but tasks with such conditions.</item>
/// </list>
/// </summary>
internal sealed class DagScheduler
{
    private readonly RunState _run;
    private readonly TaskRunner _runner;
    private readonly ExecutorRegistry _executors;
    // Synchronous continuations: the loop goes on in the thread of the task that just ended, rather
    // than being handed to another thread-pool thread (a wake-up per task, and CPU taken from the
    // next task's process on a small machine). No lock is held where results and releases are written.
    private readonly Channel<TaskResult?> _wake = Channel.CreateUnbounded<TaskResult?>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });
    private readonly PriorityQueue<string, (double, int)> _ready = new();
    private readonly Dictionary<string, int> _waiting = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskResult> _done = new(StringComparer.Ordinal);

    /// <summary>Tasks that failed, or were skipped because something upstream failed: failure() is true below them.</summary>
    private readonly HashSet<string> _failedUpstream = new(StringComparer.Ordinal);

    public DagScheduler(RunState run, TaskRunner runner, ExecutorRegistry executors)
    {
        _run = run;
        _runner = runner;
        _executors = executors;
    }

    /// <summary>Wakes the loop when a slot is freed (called by the slot pool).</summary>
    public void SlotReleased() => _wake.Writer.TryWrite(null);

    public IReadOnlyDictionary<string, TaskResult> Done => _done;

    public async Task RunAsync(CancellationToken userToken)
    {
        var graph = _run.Plan.Graph;
        foreach (var id in graph.Nodes)
        {
            _waiting[id] = graph.Dependencies[id].Count;
            if (_waiting[id] == 0) Enqueue(id);
        }
        var running = 0;
        using var taskToken = CancellationTokenSource.CreateLinkedTokenSource(userToken, _run.StopRunning.Token);

        while (true)
        {
            while (_ready.TryPeek(out var id, out _))
            {
                var task = graph.Task(id);
                if (_run.Options.Resumed?.TryGetValue(id, out var earlier) == true)
                {
                    // Done before the interruption: recorded again, not run again.
                    _ready.Dequeue();
                    var restored = _run.Record(earlier with { Role = "dag", Parent = null });
                    if (restored.State.IsFailure()) _run.Fail(restored);
                    Complete(id, restored, restored.State.IsFailure());
                    continue;
                }
                var (failedUpstream, blocker) = Upstream(id);
                var statusAware = CallsStatusFunction(task);
                string? notRun = null;
                if (userToken.IsCancellationRequested && !statusAware) notRun = "the run was cancelled";
                else if (blocker is not null && !statusAware) notRun = blocker;
                else if (_run.Failing && !statusAware) notRun = $"not started: {_run.FirstFailure}";
                if (notRun is not null)
                {
                    _ready.Dequeue();
                    var state = userToken.IsCancellationRequested ? TaskState.Cancelled : TaskState.Skipped;
                    Complete(id, _run.Record(TaskResult.NotRun(task, id, state, notRun)), failedUpstream || blocker is not null);
                    continue;
                }

                var needsSlot = _executors.NeedsSlot(task);
                if (needsSlot && !_run.Slots.TryTake()) break;
                _ready.Dequeue();
                running++;
                // Clean-up tasks started after a failure or cancellation run under the clean-up token.
                var token = userToken.IsCancellationRequested || _run.Failing ? _run.Options.CleanupToken : taskToken.Token;
                var instance = new TaskInstance { InstanceId = id, UpstreamFailed = failedUpstream, HoldsSlot = needsSlot };
                // The only task ready (a chain) starts here, up to its first wait (its process running):
                // no hand-off to another thread. Several ready ones start on threads of their own, so
                // one's preparation does not hold up the others; except on the process monitor's
                // thread, where each starts here too (what takes long moves off it by itself), since
                // work handed to the pool from outside it waits for a free pool thread.
                if (_ready.Count == 0 || Processes.Posix.MonitorThread.IsCurrent) _ = RunOne(task, instance, token);
                else _ = Task.Run(() => RunOne(task, instance, token), CancellationToken.None);
            }

            if (running == 0 && _ready.Count == 0) break;
            var message = await _wake.Reader.ReadAsync(CancellationToken.None).ConfigureAwait(false);
            if (message is null || message.Role != "dag") continue;
            running--;
            Complete(message.TaskId, message, message.State.IsFailure() && !message.ContinuedOnError);
        }
    }

    /// <summary>Runs one DAG task; whatever happens, the loop hears about it, so a bug can fail a task but never hang the run.</summary>
    private async Task RunOne(TaskDefinition task, TaskInstance instance, CancellationToken token)
    {
        TaskResult result;
        try
        {
            result = await _runner.RunAsync(task, instance, token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            result = _run.Record(TaskResult.NotRun(task, task.Id.Value, TaskState.Failed, "internal error in the engine") with { Error = $"internal error: {e.GetType().Name}: {e.Message}" });
            _run.Fail(result);
        }
        _wake.Writer.TryWrite(result);
    }

    private void Complete(string id, TaskResult result, bool failedBelow)
    {
        _done[id] = result;
        if (failedBelow) _failedUpstream.Add(id);
        foreach (var d in _run.Plan.Graph.Dependents[id])
            if (--_waiting[d] == 0) Enqueue(d);
    }

    private void Enqueue(string id) => _ready.Enqueue(id, (-_run.Plan.RemainingPath[id], _run.Plan.FileOrder[id]));

    /// <returns>Whether failure() is true for the task, and why it cannot run normally (null when every dependency succeeded).</returns>
    private (bool FailedUpstream, string? Blocker) Upstream(string id)
    {
        var failed = false;
        string? blocker = null;
        foreach (var dep in _run.Plan.Graph.Dependencies[id])
        {
            var r = _done[dep];
            if (_failedUpstream.Contains(dep)) failed = true;
            if (!r.Satisfies && blocker is null)
                blocker = $"dependency '{dep}' {r.State.Name()}";
        }
        return (failed, blocker);
    }

    private static bool CallsStatusFunction(TaskDefinition task) =>
        task.Condition is { } c && Parser.ParseStandalone(c.Value) is { Success: true } p && p.CallsStatusFunction;
}
