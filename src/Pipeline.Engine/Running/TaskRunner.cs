using Pipeline.Core.Expressions;
using Pipeline.Core.Model;
using Pipeline.Engine.Events;
using Pipeline.Engine.Executors;
using Polly;
using Polly.Retry;

namespace Pipeline.Engine.Running;

/// <summary>
/// Runs one task instance from start to end: its condition, a slot, attempts with the timeout and
/// the retry policy (Polly), the result, then its on_success / on_failure callbacks.
/// </summary>
internal sealed class TaskRunner(RunState run, ExecutorRegistry executors)
{
    // One delegate for the run, not one per task started.
    private readonly Func<Task> _recorded = run.RecordedAsync;

    /// <remarks>
    /// ValueTasks inside the engine: a task whose work completes at once (a cache hit, a no-op build
    /// target, a skip) then costs no Task object per step, for thousands of tasks per run.
    /// </remarks>
    public async ValueTask<TaskResult> RunAsync(TaskDefinition task, TaskInstance instance, CancellationToken token)
    {
        var holdsSlot = instance.HoldsSlot;
        try
        {
            var env = run.Environment.For(task, instance.Scope);
            if (instance.Subject is { } subject) env = WithSubject(env, subject);
            var context = run.Environment.NewContext(env, instance.UpstreamFailed, instance.Scope);

            var skip = CheckCondition(task, instance, context, out var conditionError);
            if (conditionError is not null) return Finish(task, instance, Single(TaskState.Failed, conditionError));
            if (skip is not null) return Store(TaskResult.NotRun(task, instance.InstanceId, TaskState.Skipped, skip, instance.Role, instance.Parent), instance);

            var cwd = run.Environment.WorkingDirectory(task, context);
            var live = task is ShellTask { LiveOutput: true };
            var cached = run.Cache.Applies(task);
            if (cached) await Processes.Posix.MonitorThread.Leave().ConfigureAwait(false); // hashing its inputs may take a while
            var lookup = cached ? run.Cache.Lookup(task, instance, context, env, cwd) : null;
            using var cacheLog = lookup?.Log;
            if (lookup?.Hit is not null && run.Cache.Restore(lookup, task, instance, cwd, live) is { } restored)
                return Store(restored, instance); // nothing ran, so no callbacks: on_success is about work done

            var executor = executors.For(task.Type);
            if (executors.NeedsSlot(task) && !holdsSlot)
            {
                await run.Slots.TakeAsync(token).ConfigureAwait(false);
                holdsSlot = true;
            }
            var attempts = await RunAttemptsAsync(task, instance, executor, context, env, cwd, live, lookup?.Log, token).ConfigureAwait(false);
            if (cached) await Processes.Posix.MonitorThread.Leave().ConfigureAwait(false); // storing its files may take a while
            var result = Finish(task, instance, attempts, lookup is null ? null : SaveTo(lookup, task, cwd));
            // Released once the task is recorded as finished (the release may start the next task on
            // this very thread, and its start must not come before this end), but before the
            // callbacks, which are tasks that may need a slot themselves.
            if (holdsSlot) { holdsSlot = false; run.Slots.Release(); }
            await RunCallbacksAsync(task, result, token).ConfigureAwait(false);
            return result;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return Store(TaskResult.NotRun(task, instance.InstanceId, TaskState.Cancelled, "cancelled before it started", instance.Role, instance.Parent), instance);
        }
        finally
        {
            if (holdsSlot) run.Slots.Release();
        }
    }

    // A method of its own: a lambda in RunAsync would have every call allocate its closure up front.
    private Action<TaskResult> SaveTo(Caching.CacheLookup lookup, TaskDefinition task, string cwd) => raw => run.Cache.Save(lookup, task, raw, cwd);

    /// <summary>Binds children to the instance that invokes them, so their ids say who did.</summary>
    public IChildTaskRunner ChildrenOf(string parentInstance, IReadOnlyDictionary<string, ExprValue>? parentScope) => new ChildRunner(this, parentInstance, parentScope);

    private sealed class ChildRunner(TaskRunner runner, string parent, IReadOnlyDictionary<string, ExprValue>? parentScope) : IChildTaskRunner
    {
        public Task<TaskResult> RunChildAsync(TaskDefinition child, string role, IReadOnlyDictionary<string, ExprValue>? scope, string? instanceSuffix, CancellationToken cancellationToken)
        {
            var instance = new TaskInstance
            {
                InstanceId = $"{parent}/{child.Id.Value}{instanceSuffix}",
                Role = role,
                Parent = parent,
                Scope = scope ?? parentScope, // a loop item's children still see its item and index
            };
            return runner.RunAsync(child, instance, cancellationToken).AsTask();
        }
    }

    /// <returns>A reason to skip, or null to run.</returns>
    private string? CheckCondition(TaskDefinition task, TaskInstance instance, ExpressionContext context, out string? error)
    {
        error = null;
        if (task is ConditionalTask || task.Condition is not { } condition) return null; // a conditional's condition picks the branch
        var parsed = Parser.ParseStandalone(condition.Value);
        if (!parsed.Success)
        {
            error = $"condition '{condition.Value}' does not parse: {parsed.Error!.Message}";
            return null;
        }
        try
        {
            // Callbacks run because of an outcome: the implicit success() would defeat on_failure.
            var ok = instance.IsCallback ? Evaluator.Evaluate(parsed, context).IsTruthy : Evaluator.EvaluateCondition(parsed, context);
            return ok ? null : $"condition '{condition.Value}' is false";
        }
        catch (ExpressionException e)
        {
            error = $"condition '{condition.Value}': {e.Message}";
            return null;
        }
    }

    private async ValueTask<List<Attempt>> RunAttemptsAsync(TaskDefinition task, TaskInstance instance, ITaskExecutor executor,
        ExpressionContext context, IReadOnlyDictionary<string, string?> env, string cwd, bool live, Caching.CacheLog? log, CancellationToken token)
    {
        // Without retries, no Polly: its context and callbacks cost more than a no-op task itself.
        if (task.Retry is not { Attempts: > 1 })
            return [await StartAttemptAsync(task, instance, executor, context, env, cwd, live, log, 1, token).ConfigureAwait(false)];
        return await RetryAsync(task, instance, executor, context, env, cwd, live, log, token).ConfigureAwait(false);
    }

    // Apart from RunAttemptsAsync, so that a task without retries does not allocate this one's closure.
    private async Task<List<Attempt>> RetryAsync(TaskDefinition task, TaskInstance instance, ITaskExecutor executor,
        ExpressionContext context, IReadOnlyDictionary<string, string?> env, string cwd, bool live, Caching.CacheLog? log, CancellationToken token)
    {
        var attempts = new List<Attempt>(task.Retry!.Attempts);
        async ValueTask<Attempt> One(CancellationToken t)
        {
            var attempt = await StartAttemptAsync(task, instance, executor, context, env, cwd, live, log, attempts.Count + 1, t).ConfigureAwait(false);
            attempts.Add(attempt);
            return attempt;
        }

        try
        {
            await RetryPipeline(task, instance).ExecuteAsync(One, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Cancelled during a retry delay: the last attempt stands, the task is cancelled.
            var now = DateTimeOffset.UtcNow;
            attempts.Add(new Attempt(new AttemptRecord(attempts.Count + 1, now, now, TaskState.Cancelled, null, "cancelled while waiting to retry"), null));
        }
        return attempts;
    }

    private ResiliencePipeline<Attempt> RetryPipeline(TaskDefinition task, TaskInstance instance)
    {
        var retry = task.Retry!;
        return new ResiliencePipelineBuilder<Attempt>().AddRetry(new RetryStrategyOptions<Attempt>
        {
            ShouldHandle = a => ValueTask.FromResult(a.Outcome.Result is { } r && r.Record.State.IsFailure()),
            MaxRetryAttempts = retry.Attempts - 1,
            Delay = TimeSpan.FromMilliseconds(retry.DelayMs),
            BackoffType = retry.Backoff == Backoff.Exponential ? DelayBackoffType.Exponential : DelayBackoffType.Constant,
            UseJitter = retry.Backoff == Backoff.Exponential,
            MaxDelay = retry.MaxDelayMs is { } max ? TimeSpan.FromMilliseconds(max) : null,
            OnRetry = a =>
            {
                if (a.Outcome.Result is { } failed)
                    run.Publish(new TaskRetrying(run.ExecutionId, DateTimeOffset.UtcNow, instance.InstanceId,
                        failed.Record with { Error = run.Masker.ApplyOrNull(failed.Record.Error) }, a.RetryDelay));
                return default;
            },
        }).Build();
    }

    private ValueTask<Attempt> StartAttemptAsync(TaskDefinition task, TaskInstance instance, ITaskExecutor executor, ExpressionContext context,
        IReadOnlyDictionary<string, string?> env, string cwd, bool live, Caching.CacheLog? log, int number, CancellationToken token)
    {
        log?.Restart();
        run.Publish(new TaskStarted(run.ExecutionId, DateTimeOffset.UtcNow, instance.InstanceId, task.Id.Value, task.DisplayName, instance.Role, number));
        if (!task.Resumable) return AfterStartRecordedAsync(task, instance, executor, context, env, cwd, live, log, number, token);
        return AttemptAsync(task, instance, executor, context, env, cwd, live, log, number, token);
    }

    /// <summary>
    /// A task that must not run twice starts its work only once its start is in the state store
    /// (write-ahead): a crash after that leaves it "running" there, and a resumed run fails it instead
    /// of running it again. The other tasks do not wait for the store (it commits in batches).
    /// </summary>
    private async ValueTask<Attempt> AfterStartRecordedAsync(TaskDefinition task, TaskInstance instance, ITaskExecutor executor, ExpressionContext context,
        IReadOnlyDictionary<string, string?> env, string cwd, bool live, Caching.CacheLog? log, int number, CancellationToken token)
    {
        await run.RecordedAsync().ConfigureAwait(false);
        return await AttemptAsync(task, instance, executor, context, env, cwd, live, log, number, token).ConfigureAwait(false);
    }

    private async ValueTask<Attempt> AttemptAsync(TaskDefinition task, TaskInstance instance, ITaskExecutor executor, ExpressionContext context,
        IReadOnlyDictionary<string, string?> env, string cwd, bool live, Caching.CacheLog? log, int number, CancellationToken token)
    {
        // Its own token only for a timeout: a linked source per attempt costs more than a no-op task.
        using var attemptToken = task.Timeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(token);
        attemptToken?.CancelAfter(TimeSpan.FromSeconds(task.Timeout!.Value.Value));
        var started = DateTimeOffset.UtcNow;
        var span = Telemetry.EngineTelemetry.StartAttempt(run.Workflow.Name.Value, run.ExecutionId, task, instance.InstanceId, number);
        // W3C trace context for what the task starts, so its own spans join the run's trace.
        if (span is not null) env = new Dictionary<string, string?>(env) { ["TRACEPARENT"] = span.Id };
        ExecutionOutcome outcome;
        TaskState state;
        try
        {
            var invocation = new TaskInvocation
            {
                Task = task,
                InstanceId = instance.InstanceId,
                ExecutionId = run.ExecutionId,
                WorkflowName = run.Workflow.Name.Value,
                Attempt = number,
                Expressions = context,
                Environment = env,
                InheritedEnvironment = run.Environment.Inherited,
                WorkingDirectory = cwd,
                WorkflowDirectory = run.WorkflowDirectory,
                ScratchFile = run.ScratchFileFactory,
                Stop = run.StopPolicy,
                Output = log is null
                    ? (stream, line) => run.Output(instance.InstanceId, stream, line, live)
                    : (stream, line) => { log.Add(stream, line); run.Output(instance.InstanceId, stream, line, live); },
                ProcessStarted = pid => run.Publish(new TaskProcessStarted(run.ExecutionId, DateTimeOffset.UtcNow, instance.InstanceId, pid, ProcessStart: null)), // read when recorded
                Children = ChildrenOf(instance.InstanceId, instance.Scope),
                Http = run.Http,
                Recorded = _recorded,
            };
            outcome = await executor.ExecuteAsync(invocation, attemptToken?.Token ?? token).ConfigureAwait(false);
            state = outcome.SkipReason is not null ? TaskState.Skipped : outcome.Succeeded ? TaskState.Succeeded : TaskState.Failed;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            outcome = ExecutionOutcome.Fail(run.Cancelled ? "cancelled" : "cancelled: the run is stopping after a failure");
            state = TaskState.Cancelled;
        }
        catch (OperationCanceledException) when (attemptToken?.IsCancellationRequested == true)
        {
            outcome = ExecutionOutcome.Fail($"timed out after {DurationText.Format(TimeSpan.FromSeconds(task.Timeout!.Value.Value))}; its processes were killed");
            state = TaskState.TimedOut;
        }
        catch (ExpressionException e)
        {
            outcome = ExecutionOutcome.Fail($"expression: {e.Message}");
            state = TaskState.Failed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception or InvalidOperationException or CliWrap.Exceptions.CliWrapException)
        {
            outcome = ExecutionOutcome.Fail(e.Message);
            state = TaskState.Failed;
        }
        var record = new AttemptRecord(number, started, DateTimeOffset.UtcNow, state, outcome.ExitCode, outcome.Error);
        Telemetry.EngineTelemetry.FinishAttempt(span, run.Workflow.Name.Value, task, record.Error is null || run.Masker.IsEmpty ? record : record with { Error = run.Masker.ApplyOrNull(record.Error) });
        return new Attempt(record, outcome);
    }

    private async Task RunCallbacksAsync(TaskDefinition task, TaskResult result, CancellationToken token)
    {
        var failed = result.State.IsFailure() || result.State == TaskState.Cancelled;
        var callbacks = result.State == TaskState.Succeeded ? task.OnSuccess : failed ? task.OnFailure : [];
        // on_failure is clean-up: it runs even when the run is stopping or was cancelled, until a second Ctrl-C.
        var callbackToken = failed ? run.Options.CleanupToken : token;
        foreach (var r in callbacks)
        {
            var instance = new TaskInstance
            {
                InstanceId = $"{result.InstanceId}/{r.Id}",
                Role = failed ? "on_failure" : "on_success",
                Parent = result.InstanceId,
                UpstreamFailed = failed,
                Subject = result,
            };
            await RunAsync(run.Find(r.Id), instance, callbackToken).ConfigureAwait(false);
        }
    }

    private static IReadOnlyDictionary<string, string?> WithSubject(IReadOnlyDictionary<string, string?> env, TaskResult subject) =>
        new Dictionary<string, string?>(env, StringComparer.Ordinal)
        {
            ["WORKFLOW_TASK_ID"] = subject.TaskId,
            ["WORKFLOW_TASK_STATUS"] = subject.State.Name(),
            ["WORKFLOW_TASK_ERROR"] = subject.Error ?? "",
            ["WORKFLOW_TASK_EXIT_CODE"] = subject.ExitCode?.ToString() ?? "",
        };

    private static List<Attempt> Single(TaskState state, string error)
    {
        var now = DateTimeOffset.UtcNow;
        return [new Attempt(new AttemptRecord(1, now, now, state, null, error), ExecutionOutcome.Fail(error))];
    }

    /// <param name="beforeStore">Sees the raw result before dependents can start (the cache stores the task's files then).</param>
    private TaskResult Finish(TaskDefinition task, TaskInstance instance, List<Attempt> attempts, Action<TaskResult>? beforeStore = null)
    {
        var last = attempts[^1];
        var outcome = attempts.LastOrDefault(a => a.Outcome is not null)?.Outcome;
        var result = new TaskResult
        {
            InstanceId = instance.InstanceId,
            TaskId = task.Id.Value,
            TaskType = TaskTypes.NameOf(task.Type),
            State = last.Record.State,
            Role = instance.Role,
            Parent = instance.Parent,
            StartedAt = attempts[0].Record.StartedAt,
            FinishedAt = last.Record.FinishedAt,
            Attempts = Records(attempts),
            ExitCode = last.Record.ExitCode,
            Error = last.Record.Error,
            ContinuedOnError = task.ContinueOnError && last.Record.State.IsFailure(),
            SkippedItself = outcome?.SkipReason is not null && last.Record.State == TaskState.Skipped,
            Reason = last.Record.State == TaskState.Skipped ? outcome?.SkipReason : null,
            Outputs = outcome?.Outputs ?? System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty,
            Stdout = outcome?.Stdout ?? "",
            Stderr = outcome?.Stderr ?? "",
        };
        beforeStore?.Invoke(result);
        return Store(result, instance);
    }

    private static AttemptRecord[] Records(List<Attempt> attempts)
    {
        var records = new AttemptRecord[attempts.Count];
        for (var i = 0; i < records.Length; i++) records[i] = attempts[i].Record;
        return records;
    }

    /// <summary>Records and publishes a result. A DAG task, callback or rollback task that fails fails the run; children report to their parent.</summary>
    private TaskResult Store(TaskResult result, TaskInstance instance)
    {
        var masked = run.Record(result);
        if (instance.Role is "dag" or "on_success" or "on_failure" or "rollback" && result.State.IsFailure() && !result.ContinuedOnError)
        {
            if (run.Find(result.TaskId).ProceedAfterFailure) run.FailAtEnd(masked);
            else run.Fail(masked);
        }
        return masked;
    }

    internal sealed record Attempt(AttemptRecord Record, ExecutionOutcome? Outcome);
}
