using System.Collections.Concurrent;
using Pipeline.Core.Taskfile;
using Pipeline.Core.Taskfile.Templates;
using Pipeline.Engine.Events;
using Pipeline.Engine.Planning;
using Pipeline.Engine.Running;
using Pipeline.Engine.Secrets;
using Pipeline.Engine.Taskfile.Fingerprint;

namespace Pipeline.Engine.Taskfile;

/// <summary>
/// Runs Taskfile tasks with go-task's semantics: a task first runs its <c>deps</c> in parallel, then checks
/// its preconditions and whether it is up to date, then runs its <c>cmds</c> in order (<c>task:</c> calls in
/// place), then its <c>defer</c>s last-in-first-out. It publishes the same events as the workflow engine,
/// so the report, logs and history work the same, and go-task's console output is one observer.
/// </summary>
public sealed partial class TaskfileRunner
{
    private const int MaxCalls = 1000;

    private readonly TaskfileProject _project;
    private readonly TaskfileRunOptions _options;
    private readonly TaskfileCompiler _compiler;
    private readonly ChecksumChecker _checksums;
    private readonly TimestampChecker _timestamps;
    private readonly SemaphoreSlim? _slots;
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task>> _executions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _instances = new(StringComparer.Ordinal);
    private readonly List<TaskResult> _results = [];
    private readonly object _publishLock = new();
    private readonly HashSet<string> _secrets = new(StringComparer.Ordinal);
    private SecretMasker _masker = SecretMasker.None;
    private string _executionId = "";
    private Exception? _observerError;

    public TaskfileRunner(TaskfileProject project, TaskfileRunOptions options)
    {
        _project = project;
        _options = options;
        _compiler = new TaskfileCompiler(project, options) { OnVerbose = text => Verbose("", text) };
        var temp = options.TempDirectory is { } t ? Path.GetFullPath(t) : Path.Combine(project.RootDirectory, ".task");
        _checksums = new ChecksumChecker(temp);
        _timestamps = new TimestampChecker(temp);
        if (options.MaxParallel is { } max) _slots = new SemaphoreSlim(Math.Max(1, max));
        if (options.Secrets.Count > 0) AddSecrets(options.Secrets);
    }

    /// <summary>Runs the named tasks (one after the other, or in parallel with <see cref="TaskfileRunOptions.Parallel"/>).</summary>
    /// <returns>The run's result; <see cref="RunResult.Error"/> holds go-task's message for the first failure.</returns>
    public async Task<TaskfileRunResult> RunAsync(IReadOnlyList<string> tasks, CancellationToken cancellationToken)
    {
        Begin();
        TaskfileException? failure = null;
        var cancelled = false;
        try
        {
            if (_options.Parallel) await Task.WhenAll(tasks.Select(t => RunNamedAsync(t, cancellationToken)));
            else
                foreach (var task in tasks) await RunNamedAsync(task, cancellationToken);
        }
        catch (TaskfileException e) { failure = e; }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { cancelled = true; }
        return await EndAsync(failure, cancelled);
    }

    private DateTimeOffset _started;
    private Core.Model.WorkflowDefinition? _workflow;

    /// <summary>
    /// Starts the run (its <see cref="RunStarted"/> event) for callers that run tasks one by one with
    /// <see cref="RunNamedAsync"/>, as a build project does: one run, one <c>run: once</c> memory and
    /// one record for every task the invocation asks for. Call <see cref="EndAsync"/> once at the end.
    /// </summary>
    public void Begin()
    {
        if (_workflow is not null) return;
        _executionId = _options.ExecutionId ?? WorkflowEngine.NewExecutionId();
        _started = DateTimeOffset.UtcNow;
        _workflow = TaskfileConverter.Convert(_project.Root.Document);
        Publish(new RunStarted(_executionId, _started, ExecutionPlan.Create(_workflow), _options.MaxParallel ?? 0));
    }

    /// <summary>Runs one task as if named on the command line (internal tasks are refused), with its deps and calls.</summary>
    /// <exception cref="TaskfileException">It failed: go-task's message and our exit code.</exception>
    public Task RunNamedAsync(string task, CancellationToken cancellationToken) =>
        RunTaskAsync(new TaskCall(task, new Dictionary<string, object?>(), false, null, "cli", null), cancellationToken);

    /// <summary>Ends the run begun by <see cref="Begin"/>: waits for the killed processes to be reaped and publishes <see cref="RunFinished"/>.</summary>
    public async Task<TaskfileRunResult> EndAsync(TaskfileException? failure, bool cancelled)
    {
        await Processes.ProcessRunner.SettleAsync();
        var status = cancelled ? RunStatus.Cancelled : failure is null ? RunStatus.Succeeded : RunStatus.Failed;
        var result = new RunResult
        {
            ExecutionId = _executionId,
            Workflow = _workflow!.Name.Value,
            File = _project.Root.TaskfilePath,
            Status = status,
            StartedAt = _started,
            FinishedAt = DateTimeOffset.UtcNow,
            Tasks = Results(),
            CriticalPathTaken = [],
            Error = failure is null ? null : Mask(failure.Message),
            Warnings = _observerError is null ? [] : [$"an observer failed: {_observerError.Message}"],
        };
        Publish(new RunFinished(_executionId, result.FinishedAt, result));
        return new TaskfileRunResult(result, failure);
    }

    private List<TaskResult> Results()
    {
        lock (_publishLock) return _results.ToList();
    }

    /// <summary>go-task's RunTask: resolve, platform, compile, if, requires, call guard, de-duplication, then execute.</summary>
    private async Task RunTaskAsync(TaskCall call, CancellationToken ct)
    {
        // Deep call chains (up to the 1000-call guard) would otherwise recurse on one thread's stack.
        await Task.Yield();
        ct.ThrowIfCancellationRequested();
        var entry = _project.Resolve(call.Name, call.From, out var match, out var alias);
        if (call.FromCommandLine && entry.IsInternal) throw new TaskInternalException(call.Name);
        if (!GoPlatform.Matches(entry.Task.Platforms.Select(p => p.Value)))
        {
            Verbose(entry.Name, $"task: \"{entry.Name}\" skipped: not for this platform ({GoPlatform.Os}/{GoPlatform.Arch})");
            return;
        }
        if (_calls.AddOrUpdate(entry.Name, 1, (_, n) => n + 1) > MaxCalls) throw new TaskCalledTooManyTimesException(entry.Name);

        var task = await _compiler.CompileAsync(entry, call.Vars, match, alias, ct, call.SecretVars);
        AddSecrets(task.SecretValues);
        if (entry.Task.If is { } condition && !await ConditionHoldsAsync(task, condition.Value, task.Data, ct))
        {
            Verbose(entry.Name, $"task: if condition not met - skipped: \"{entry.Name}\"");
            return;
        }
        CheckRequires(task);

        var mode = entry.Task.Run?.Value ?? _project.Root.Document.Run?.Value ?? "always";
        var key = mode switch
        {
            "once" => entry.Name,
            "when_changed" => entry.Name + "|" + GoValues.ToJson(call.Vars.ToDictionary(e => e.Key, e => e.Value)),
            _ => null,
        };
        if (key is null)
        {
            await ExecuteAsync(task, call, ct);
            return;
        }
        // a later caller joins the execution already under way and inherits its error, as in go-task
        await _executions.GetOrAdd(key, _ => new Lazy<Task>(() => ExecuteAsync(task, call, ct))).Value;
    }

    private async Task ExecuteAsync(CompiledTask task, TaskCall call, CancellationToken ct)
    {
        var instance = InstanceId(task.Name);
        Verbose(instance, $"task: \"{call.Name}\" started");
        await RunDepsAsync(task, instance, ct);

        await AcquireSlotAsync(ct);
        var started = DateTimeOffset.UtcNow;
        var slotHeld = true;
        Publish(new TaskStarted(_executionId, started, instance, task.Name, task.Entry.Task.Prefix?.Value ?? task.Label, call.Role, 1));
        try
        {
            if (!_options.Force)
            {
                await CheckPreconditionsAsync(task, instance, ct);
                if (await IsUpToDateAsync(task, ct))
                {
                    // Silent tasks and calls say nothing, unless --verbose (as in go-task).
                    if (_options.Verbose || !(call.Silent || task.Entry.Task.Silent || task.Entry.Scope.Document.Silent || _project.Root.Document.Silent || _options.Silent))
                        Message(instance, $"task: Task \"{(task.Entry.Task.Prefix is not null && _options.Output == "prefixed" ? task.Entry.Task.Prefix.Value : task.Label)}\" is up to date", verbose: false);
                    Finish(task, call, instance, started, TaskState.Skipped, null, null, "up to date");
                    return;
                }
            }
            await PromptAsync(task);
            if (!_options.DryRun) Directory.CreateDirectory(task.Directory);
            await RunCommandsAsync(task, call, instance, () => { ReleaseSlot(); slotHeld = false; }, async () => { await AcquireSlotAsync(ct); slotHeld = true; }, ct);
            Verbose(instance, $"task: \"{call.Name}\" finished");
            Finish(task, call, instance, started, TaskState.Succeeded, 0, null, null);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Finish(task, call, instance, started, TaskState.Cancelled, null, "cancelled", null);
            throw;
        }
        catch (TaskfileException e)
        {
            Finish(task, call, instance, started, TaskState.Failed, (e as TaskRunException)?.CommandExitCode, e.Message, null);
            throw;
        }
        finally
        {
            if (slotHeld) ReleaseSlot();
        }
    }

    /// <summary>Deps run in parallel; all are awaited (the first error wins) unless <c>failfast</c>, which cancels the rest.</summary>
    private async Task RunDepsAsync(CompiledTask task, string instance, CancellationToken ct)
    {
        var deps = task.Entry.Task.Deps;
        if (deps.Count == 0) return;
        var calls = new List<TaskCall>();
        foreach (var dep in deps)
            foreach (var iteration in ForLoop.Iterations(dep.For, task))
            {
                var data = ForLoop.With(task.Data, iteration);
                var name = TaskfileCompiler.Render(dep.Task.Value, data, task.Entry, "deps");
                calls.Add(new TaskCall(name, await CallVarsAsync(dep.Vars, data, task, ct), dep.Silent, task.Entry.Scope, "deps", instance) { SecretVars = SecretNames(dep.Vars) });
            }
        using var group = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var failfast = task.Entry.Task.Failfast;
        var running = calls.Select(async c =>
        {
            try { await RunTaskAsync(c, group.Token); }
            catch (Exception) when (failfast)
            {
                await group.CancelAsync();
                throw;
            }
        }).ToList();
        try { await Task.WhenAll(running); }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            // the first real failure, not the cancellations failfast caused
            var first = running.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException).OfType<TaskfileException>().FirstOrDefault();
            if (first is not null) throw first;
            throw;
        }
    }

    /// <summary>A call's vars, rendered in the caller's context (they may read the caller's variables and ITEM).</summary>
    private async Task<IReadOnlyDictionary<string, object?>> CallVarsAsync(IReadOnlyList<TaskfileVar> vars, IReadOnlyDictionary<string, object?> data, CompiledTask caller, CancellationToken ct)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        var scope = new Dictionary<string, object?>(data, StringComparer.Ordinal);
        foreach (var v in vars)
        {
            var value = await _compiler.ValueAsync(v, scope, caller.Directory, caller.Entry, ct);
            result[v.Name.Value] = value;
            scope[v.Name.Value] = value;
            if (v.Secret && value is not null)
            {
                SecretTooShortException.Check(v.Name.Value, GoValues.Format(value));
                AddSecrets([GoValues.Format(value)]);
            }
        }
        return result;
    }

    private static string[] SecretNames(IReadOnlyList<TaskfileVar> vars) => vars.Where(v => v.Secret).Select(v => v.Name.Value).ToArray();

    private string InstanceId(string name)
    {
        var n = _instances.AddOrUpdate(name, 1, (_, c) => c + 1);
        return n == 1 ? name : $"{name}#{n}";
    }

    private Task AcquireSlotAsync(CancellationToken ct) => _slots?.WaitAsync(ct) ?? Task.CompletedTask;

    private void ReleaseSlot() => _slots?.Release();

    private void Finish(CompiledTask task, TaskCall call, string instance, DateTimeOffset started, TaskState state, int? exitCode, string? error, string? reason)
    {
        var finished = DateTimeOffset.UtcNow;
        var result = new TaskResult
        {
            InstanceId = instance,
            TaskId = task.Name,
            TaskType = "taskfile",
            State = state,
            Role = call.Role,
            Parent = call.Parent,
            StartedAt = started,
            FinishedAt = finished,
            Attempts = [new AttemptRecord(1, started, finished, state, exitCode, error is null ? null : Mask(error))],
            ExitCode = exitCode,
            Error = error is null ? null : Mask(error),
            Reason = reason,
        };
        lock (_publishLock) _results.Add(result);
        Publish(new TaskFinished(_executionId, finished, result));
    }

    private void AddSecrets(IEnumerable<string> values)
    {
        lock (_publishLock)
        {
            var before = _secrets.Count;
            _secrets.UnionWith(values.Where(v => v.Length > 0));
            if (_secrets.Count != before) _masker = new SecretMasker(_secrets);
        }
    }

    /// <summary>Masks the run's secrets (as known so far) in <paramref name="text"/>.</summary>
    public string Mask(string text) => _masker.Apply(text);

    /// <summary>
    /// What running <paramref name="name"/> would do, without running a command of it: the task and
    /// every task its <c>deps</c> and <c>task:</c> calls name literally, deps first, each with whether
    /// it would run or is up to date (its <c>status</c> and <c>sources</c> checks run; they only read).
    /// Call variables and templated names are not followed. For a build project's dry run.
    /// </summary>
    public async Task<IReadOnlyList<(string Task, string Status)>> PlanAsync(string name, CancellationToken ct)
    {
        var planned = new List<(string, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var none = new Dictionary<string, object?>();
        async Task Visit(string reference, TaskfileScope? from)
        {
            var entry = _project.Resolve(reference, from, out var match, out var alias);
            if (!seen.Add(entry.Name)) return;
            foreach (var dep in entry.Task.Deps.Where(d => !Template.HasActions(d.Task.Value))) await Visit(dep.Task.Value, entry.Scope);
            var task = await _compiler.CompileAsync(entry, none, match, alias, ct);
            var status = entry.Task.Sources.Count == 0 && entry.Task.Status.Count == 0 ? "runs (no sources or status to skip it)"
                : await IsUpToDateAsync(task, ct) ? "up to date, skipped" : "runs (not up to date)";
            planned.Add((entry.Name.Contains('*') ? reference : entry.Name, status)); // a wildcard task under the name it was called by
            foreach (var call in entry.Task.Cmds.Select(c => c.Call).Where(c => c is not null && !Template.HasActions(c.Task.Value)))
                await Visit(call!.Task.Value, entry.Scope);
        }
        await Visit(name, null);
        return planned;
    }

    private void Output(string instance, OutputStream stream, string line) =>
        Publish(new TaskOutput(_executionId, DateTimeOffset.UtcNow, instance, stream, Mask(line), true));

    private void Message(string instance, string text, bool verbose) =>
        Publish(new TaskMessage(_executionId, DateTimeOffset.UtcNow, instance, Mask(text), verbose));

    private void Verbose(string instance, string text) => Message(instance, text, verbose: true);

    private void Publish(RunEvent e)
    {
        lock (_publishLock)
        {
            foreach (var observer in _options.Observers)
            {
                try { observer.OnEvent(e); }
                catch (Exception ex) { _observerError ??= ex; }
            }
        }
    }
}

/// <summary>A Taskfile run's result, and the go-task error that ended it (null when it succeeded or was cancelled).</summary>
public sealed record TaskfileRunResult(RunResult Run, TaskfileException? Failure);
