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
    private readonly Channel<Ended> _wake = Channel.CreateUnbounded<Ended>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });

    // By graph position (WorkflowGraph.IndexOf), not id: the loop reads them for every task it starts.
    private readonly PriorityQueue<int, (double, int)> _ready = new();
    private readonly int[] _waiting;
    private readonly TaskResult?[] _done;

    /// <summary>Tasks that failed, or were skipped because something upstream failed: failure() is true below them.</summary>
    private readonly bool[] _failedUpstream;

    private Dictionary<string, TaskResult>? _doneById;

    /// <summary>What wakes the loop: a DAG task's end (its position and result), or a freed slot (no result).</summary>
    private readonly record struct Ended(int Index, TaskResult? Result);

    public DagScheduler(RunState run, TaskRunner runner, ExecutorRegistry executors)
    {
        _run = run;
        _runner = runner;
        _executors = executors;
        var count = run.Plan.Graph.Count;
        _waiting = new int[count];
        _done = new TaskResult?[count];
        _failedUpstream = new bool[count];
    }

    /// <summary>Wakes the loop when a slot is freed (called by the slot pool).</summary>
    public void SlotReleased() => _wake.Writer.TryWrite(new Ended(-1, null));

    /// <summary>The results of the DAG tasks that are done, by id (read once the loop has ended).</summary>
    public IReadOnlyDictionary<string, TaskResult> Done
    {
        get
        {
            if (_doneById is { } built) return built;
            var byId = new Dictionary<string, TaskResult>(StringComparer.Ordinal);
            for (var i = 0; i < _done.Length; i++)
                if (_done[i] is { } r) byId[_run.Plan.Graph.Nodes[i]] = r;
            return _doneById = byId;
        }
    }

    public async Task RunAsync(CancellationToken userToken)
    {
        var graph = _run.Plan.Graph;
        for (var i = 0; i < _waiting.Length; i++)
        {
            _waiting[i] = graph.DependencyIndices(i).Count;
            if (_waiting[i] == 0) Enqueue(i);
        }
        var running = 0;
        using var taskToken = CancellationTokenSource.CreateLinkedTokenSource(userToken, _run.StopRunning.Token);

        while (true)
        {
            while (_ready.TryPeek(out var index, out _))
            {
                var task = graph.TaskAt(index);
                var id = graph.Nodes[index];
                if (_run.Options.Resumed?.TryGetValue(id, out var earlier) == true)
                {
                    // Done before the interruption: recorded again, not run again.
                    _ready.Dequeue();
                    var restored = _run.Record(earlier with { Role = "dag", Parent = null });
                    if (restored.State.IsFailure()) _run.Fail(restored);
                    Complete(index, restored, restored.State.IsFailure());
                    continue;
                }
                var (failedUpstream, blocker) = Upstream(index);
                var statusAware = CallsStatusFunction(task);
                string? notRun = null;
                if (userToken.IsCancellationRequested && !statusAware) notRun = "the run was cancelled";
                else if (blocker is not null && !statusAware) notRun = blocker;
                else if (_run.Failing && !statusAware) notRun = $"not started: {_run.FirstFailure}";
                if (notRun is not null)
                {
                    _ready.Dequeue();
                    var state = userToken.IsCancellationRequested ? TaskState.Cancelled : TaskState.Skipped;
                    Complete(index, _run.Record(TaskResult.NotRun(task, id, state, notRun)), failedUpstream || blocker is not null);
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
                if (_ready.Count == 0 || Processes.Posix.MonitorThread.IsCurrent) _ = RunOne(index, task, instance, token);
                else ThreadPool.QueueUserWorkItem(static s => _ = s.Scheduler.RunOne(s.Index, s.Task, s.Instance, s.Token), (Scheduler: this, Index: index, Task: task, Instance: instance, Token: token), preferLocal: false);
            }

            if (running == 0 && _ready.Count == 0) break;
            var (ended, result) = await _wake.Reader.ReadAsync(CancellationToken.None).ConfigureAwait(false);
            if (result is null) continue; // a slot was freed
            running--;
            Complete(ended, result, result.State.IsFailure() && !result.ContinuedOnError);
        }
    }

    /// <summary>Runs one DAG task; whatever happens, the loop hears about it, so a bug can fail a task but never hang the run.</summary>
    private async ValueTask RunOne(int index, TaskDefinition task, TaskInstance instance, CancellationToken token)
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
        _wake.Writer.TryWrite(new Ended(index, result));
    }

    private void Complete(int index, TaskResult result, bool failedBelow)
    {
        _done[index] = result;
        if (failedBelow) _failedUpstream[index] = true;
        foreach (var d in _run.Plan.Graph.DependentIndices(index))
            if (--_waiting[d] == 0) Enqueue(d);
    }

    /// <summary>Longest remaining path first; between equals, the one earlier in the file.</summary>
    private void Enqueue(int index) => _ready.Enqueue(index, (-_run.Plan.RemainingPathAt(index), index));

    /// <returns>Whether failure() is true for the task, and why it cannot run normally (null when every dependency succeeded).</returns>
    private (bool FailedUpstream, string? Blocker) Upstream(int index)
    {
        var failed = false;
        string? blocker = null;
        foreach (var dep in _run.Plan.Graph.DependencyIndices(index))
        {
            var r = _done[dep]!;
            if (_failedUpstream[dep]) failed = true;
            if (!r.Satisfies && blocker is null)
                blocker = $"dependency '{_run.Plan.Graph.Nodes[dep]}' {r.State.Name()}";
        }
        return (failed, blocker);
    }

    private static bool CallsStatusFunction(TaskDefinition task) =>
        task.Condition is { } c && Parser.ParseStandalone(c.Value) is { Success: true } p && p.CallsStatusFunction;
}
