using Pipeline.Core.Taskfile;
using Pipeline.Core.Taskfile.Templates;
using Pipeline.Engine.Events;

namespace Pipeline.Engine.Taskfile;

public sealed partial class TaskfileRunner
{
    /// <summary>
    /// The task's cmds in order. A <c>defer:</c> is registered when reached and runs after the others,
    /// last-in-first-out, even when a command failed (then with <c>{{.EXIT_CODE}}</c>); its own errors are only
    /// reported. A task called with <c>task:</c> runs in place; the caller gives up its slot meanwhile so a
    /// small <c>--max-parallel</c> cannot deadlock.
    /// </summary>
    private async Task RunCommandsAsync(CompiledTask task, TaskCall call, string instance, Action releaseSlot, Func<Task> reacquireSlot, CancellationToken ct)
    {
        var deferred = new List<(TaskfileCommand Command, IReadOnlyDictionary<string, object?> Data)>();
        Exception? failure = null;
        var cancelled = false;
        try
        {
            foreach (var command in task.Entry.Task.Cmds)
            {
                if (command.Deferred)
                {
                    deferred.Add((command, task.Data));
                    continue;
                }
                if (!GoPlatform.Matches(command.Platforms.Select(p => p.Value))) continue;
                foreach (var iteration in ForLoop.Iterations(command.For, task))
                {
                    var data = ForLoop.With(task.Data, iteration);
                    await RunCommandAsync(task, call, instance, command, data, releaseSlot, reacquireSlot, ct);
                }
            }
        }
        catch (Exception e) when (e is TaskfileException or CommandFailedException)
        {
            failure = e;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            cancelled = true;
        }

        // Deferred commands run after a failure and after Ctrl-C too (go-task runs them on a fresh
        // context); after Ctrl-C they stop only when the clean-up is cancelled as well (a second Ctrl-C).
        var deferToken = cancelled ? _options.CleanupToken : ct;
        for (var i = deferred.Count - 1; i >= 0 && !deferToken.IsCancellationRequested; i--)
        {
            var (command, data) = deferred[i];
            if (failure is not null)
                data = ForLoop.With(data, new Dictionary<string, object?> { ["EXIT_CODE"] = (long)ExitCodeOf(failure) });
            try { await RunCommandAsync(task, call, instance, command, data, releaseSlot, reacquireSlot, deferToken); }
            catch (Exception e) when (e is TaskfileException or CommandFailedException)
            {
                Message(instance, $"task: deferred command failed: {e.Message}", verbose: false);
            }
            catch (OperationCanceledException) when (deferToken.IsCancellationRequested) { }
        }

        if (cancelled) throw new OperationCanceledException(ct);
        if (failure is null) return;
        if (task.Entry.Task.Sources.Count > 0) _checksums.Forget(task.Name);
        if (failure is TaskCalledTooManyTimesException tooMany) throw tooMany; // a thousand nested "Failed to run task" would bury it
        if (failure is MatrixReferenceException badMatrix) throw badMatrix; // go-task reports it as the file's parse error, unwrapped
        throw new TaskRunException(task.Label, failure.Message, ExitCodeOf(failure)); // go-task names the task by its label
    }

    private static int ExitCodeOf(Exception e) => e switch
    {
        CommandFailedException c => c.ExitCode,
        TaskRunException { CommandExitCode: { } code } => code,
        _ => 1,
    };

    private async Task RunCommandAsync(CompiledTask task, TaskCall call, string instance, TaskfileCommand command,
        IReadOnlyDictionary<string, object?> data, Action releaseSlot, Func<Task> reacquireSlot, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (command.If is { } condition && !await ConditionHoldsAsync(task, condition.Value, data, ct))
        {
            Verbose(instance, $"task: [{task.Label}] if condition not met - skipped");
            return;
        }
        var ignoreError = command.IgnoreError || task.Entry.Task.IgnoreError;
        if (command.Kind == TaskfileCommandKind.Call)
        {
            var target = command.Call!;
            var name = TaskfileCompiler.Render(target.Task.Value, data, task.Entry, "task call");
            var next = new TaskCall(name, await CallVarsAsync(target.Vars, data, task, ct), command.Silent || target.Silent, task.Entry.Scope, "call", instance)
            {
                SecretVars = SecretNames(target.Vars),
            };
            releaseSlot();
            try { await RunTaskAsync(next, ct); }
            catch (TaskfileException e) when (ignoreError)
            {
                Message(instance, $"task: [{task.Label}] command error ignored: {e.Message}", verbose: false);
            }
            finally { await reacquireSlot(); }
            return;
        }

        var script = TaskfileCompiler.Render(command.Script!.Value, data, task.Entry, "cmds");
        if (ShouldEcho(task, call, command))
        {
            var shown = TaskfileCompiler.Render(command.Script.Value, ForLoop.With(task.MaskedData, Extra(data, task.Data)), task.Entry, "cmds");
            Message(instance, $"task: [{task.Label}] {shown}", verbose: false);
        }
        if (_options.DryRun) return;

        TimeSpan? timeout = null;
        if (command.Timeout is { } t)
        {
            if (!GoDuration.TryParse(TaskfileCompiler.Render(t.Value, data, task.Entry, "timeout"), out var parsed) || parsed <= TimeSpan.Zero)
                throw new TaskfileTemplateException($"task \"{task.Name}\" timeout", $"\"{t.Value}\" is not a duration such as 30s or 5m");
            timeout = parsed;
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (timeout is { } limit) deadline.CancelAfter(limit);
        var spec = TaskfileShell.Spec(script, task.Directory, task.Environment,
            task.Entry.Scope.Document.Set.Concat(task.Entry.Task.Set).Concat(command.Set).Select(s => s.Value),
            task.Entry.Scope.Document.Shopt.Concat(task.Entry.Task.Shopt).Concat(command.Shopt).Select(s => s.Value))
            with { InheritStdin = task.Entry.Task.Interactive }; // go-task gives an interactive task the terminal's input
        int exitCode;
        try
        {
            exitCode = (await TaskfileShell.RunAsync(spec, (stream, line) => Output(instance, stream, line), deadline.Token)).ExitCode;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && timeout is { } elapsed)
        {
            var message = $"task: [{task.Name}] command timeout exceeded ({GoDuration.Format(elapsed)})";
            if (!ignoreError) throw new CommandFailedException(message, 124);
            Message(instance, $"task: [{task.Label}] command error ignored: {message}", verbose: false);
            return;
        }
        ct.ThrowIfCancellationRequested();
        if (exitCode == 0) return;
        if (ignoreError)
        {
            Message(instance, $"task: [{task.Label}] command error ignored: exit status {exitCode}", verbose: false);
            return;
        }
        throw new CommandFailedException($"exit status {exitCode}", exitCode);
    }

    /// <summary>The loop variables of an iteration (what <paramref name="data"/> adds to the task's own).</summary>
    private static Dictionary<string, object?> Extra(IReadOnlyDictionary<string, object?> data, IReadOnlyDictionary<string, object?> taskData)
    {
        var extra = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (ReferenceEquals(data, taskData)) return extra;
        foreach (var (k, v) in data)
            if (!taskData.TryGetValue(k, out var old) || !Equals(old, v)) extra[k] = v;
        return extra;
    }

    /// <summary>
    /// go-task echoes a command unless the command line, the Taskfile, the task, the command or the call
    /// that started the task says silent; --verbose always echoes.
    /// </summary>
    private bool ShouldEcho(CompiledTask task, TaskCall call, TaskfileCommand command) =>
        _options.Verbose || !(_options.Silent || _project.Root.Document.Silent || task.Entry.Scope.Document.Silent || task.Entry.Task.Silent || command.Silent || call.Silent);

    /// <summary>Runs a shell condition (<c>if:</c>, <c>status:</c>, <c>preconditions:</c>) quietly; true when it exits 0.</summary>
    private async Task<bool> ConditionHoldsAsync(CompiledTask task, string condition, IReadOnlyDictionary<string, object?> data, CancellationToken ct)
    {
        var script = TaskfileCompiler.Render(condition, data, task.Entry, "condition");
        var directory = Directory.Exists(task.Directory) ? task.Directory : task.Entry.Scope.WorkingDirectory;
        var outcome = await TaskfileShell.RunAsync(TaskfileShell.Spec(script, directory, task.Environment), (_, _) => { }, ct);
        return outcome.ExitCode == 0;
    }
}
