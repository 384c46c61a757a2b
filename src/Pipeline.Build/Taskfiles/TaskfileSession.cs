using Pipeline.Build.Hosting;
using Pipeline.Build.Recording;
using Pipeline.Core.Diagnostics;
using Pipeline.Core.Loading;
using Pipeline.Core.Taskfile;
using Pipeline.Core.Typed;
using Pipeline.Core.Validation;
using Pipeline.Engine.Events;
using Pipeline.Engine.Taskfile;

namespace Pipeline.Build.Taskfiles;

/// <summary>
/// One Taskfile's part in a build: the file read and checked before anything runs, then one go-task
/// run (the same <see cref="TaskfileRunner"/> as <c>workflow run -t</c>) that every task node of the
/// Taskfile goes through, so <c>run: once</c> holds across the invocation, the up-to-date checks share
/// go-task's <c>.task</c> files, and the whole is recorded as one run with the Taskfile's variables.
/// </summary>
internal sealed class TaskfileSession
{
    private readonly WorkflowHandle _handle;
    private readonly TaskfileProject _project;
    private readonly TaskfileRunOptions _options;
    private readonly IReadOnlyDictionary<string, string> _parameters;
    private readonly BuildRecording? _recording;
    private readonly Action<string> _log;
    private readonly object _gate = new();
    private TaskfileRunner? _runner;
    private BuildRecording.RecordedRun? _recorded;
    private TaskfileException? _failure;

    private TaskfileSession(WorkflowHandle handle, TaskfileProject project, TaskfileRunOptions options, IReadOnlyDictionary<string, string> parameters,
        BuildRecording? recording, Action<string> log)
    {
        _handle = handle;
        _project = project;
        _options = options;
        _parameters = parameters;
        _recording = recording;
        _log = log;
    }

    /// <summary>The first failure of one of its tasks, with go-task's message and our exit code.</summary>
    public TaskfileException? Failure
    {
        get { lock (_gate) return _failure; }
    }

    /// <summary>Reads and checks the Taskfile (and its includes).</summary>
    /// <exception cref="UsageException">It has errors: the first, with its position (exit code 2).</exception>
    public static TaskfileSession Open(WorkflowHandle handle, string projectDirectory, IReadOnlyDictionary<string, string> variables, bool verbose,
        BuildRecording? recording, Action<string> log, CancellationToken cleanup)
    {
        var path = handle.PathIn(projectDirectory);
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        var read = WorkflowLoader.Load(path, WorkflowFileKind.Taskfile);
        var errors = WorkflowValidator.Validate(read).Where(d => d.Severity == Severity.Error).ToList();
        if (errors.Count > 0 || read.Taskfile is null)
            throw new UsageException($"{relative} has {errors.Count} error(s), the first: {Describe(errors.FirstOrDefault())}", $"workflow validate {relative} lists them");
        TaskfileProject project;
        try { project = TaskfileProject.Load(read.Taskfile); }
        catch (TaskfileInvalidException e) { throw new UsageException($"{relative}: {Describe(e.Diagnostics.FirstOrDefault())}", $"workflow validate {relative} lists them"); }
        catch (TaskfileException e) { throw new UsageException(e.Message, $"workflow validate {relative} checks the file and its includes"); }

        // NAME=value under a name declared secret (or that looks secret) is masked, and recorded as ***.
        var secretNames = project.SecretNames();
        var secrets = variables.Where(v => Pipeline.Engine.Secrets.SecretNames.IsSecret(v.Key, secretNames)).Select(v => v.Value)
            .Where(v => Pipeline.Engine.Secrets.SecretMasker.Problem(v) is null).ToList();
        var options = new TaskfileRunOptions
        {
            Variables = variables,
            Secrets = secrets,
            Verbose = verbose,
            CleanupToken = cleanup,
            // prompt: asks on a terminal; without one (CI) the task is cancelled, as with workflow run -t
            Prompt = TaskfileCommandLine.ConsolePrompt,
        };
        return new TaskfileSession(handle, project, options, Pipeline.Engine.Secrets.SecretNames.MaskParameters(variables, secretNames), recording, log);
    }

    private static string Describe(Diagnostic? d) => d?.ToCanonicalString() ?? "unknown";

    /// <summary>Checks that <paramref name="task"/> names a task go-task would run from its command line.</summary>
    /// <exception cref="UsageException">It does not exist or is internal (go-task's message, exit code 2).</exception>
    public void Check(string task)
    {
        try
        {
            var entry = _project.Resolve(task, null, out _, out _);
            if (entry.IsInternal) throw new TaskInternalException(task);
        }
        catch (TaskfileException e)
        {
            throw new UsageException($"{_handle.Name}: {e.Message}", "its tasks: " + string.Join(", ", _project.Tasks.Where(t => !t.IsInternal).Select(t => $"{_handle.Name}:{t.Name}")));
        }
    }

    /// <summary>Runs <paramref name="task"/> (with its deps and calls) as go-task would when named on its command line.</summary>
    /// <exception cref="TaskfileTaskFailedException">It failed: go-task's message, secrets masked, and our exit code.</exception>
    public async Task RunAsync(string task, CancellationToken cancellationToken)
    {
        var runner = Runner();
        try
        {
            await runner.RunNamedAsync(task, cancellationToken).ConfigureAwait(false);
        }
        catch (TaskfileException e)
        {
            lock (_gate) _failure ??= e;
            throw new TaskfileTaskFailedException(runner.Mask(e.Message), e.ExitCode);
        }
        finally
        {
            // The task's lines go through the store first: show them before the node is reported done.
            if (_recorded is not null) await _recorded.FlushAsync().ConfigureAwait(false);
        }
    }

    /// <summary>What running <paramref name="task"/> would do (the dry run); runs no command, records nothing.</summary>
    public Task<IReadOnlyList<(string Task, string Status)>> PlanAsync(string task, CancellationToken cancellationToken) =>
        new TaskfileRunner(_project, _options).PlanAsync(task, cancellationToken);

    /// <summary>Ends the Taskfile's run, if one began: its record is complete when this returns.</summary>
    public async Task EndAsync(bool cancelled)
    {
        TaskfileRunner? runner;
        lock (_gate) runner = _runner;
        if (runner is null) return;
        await runner.EndAsync(Failure, cancelled && Failure is null).ConfigureAwait(false);
        if (_recorded is not null)
        {
            await _recorded.CompleteAsync().ConfigureAwait(false);
            _recorded.Dispose();
        }
    }

    private TaskfileRunner Runner()
    {
        lock (_gate)
        {
            if (_runner is not null) return _runner;
            var log = new TaskfileRunLog(_log, _handle.Name, _options.Verbose);
            _recorded = _recording?.Start(TaskfileConverter.Convert(_project.Root.Document), _parameters, retention: false);
            _runner = new TaskfileRunner(_project, _options with { Observers = _recorded?.Observers(log) ?? [log] });
            _runner.Begin();
            return _runner;
        }
    }
}

/// <summary>A Taskfile task failed inside a build: go-task's message, and the exit code docs/taskfile.md gives it.</summary>
internal sealed class TaskfileTaskFailedException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>go-task's console lines (command echoes, messages, the commands' output) as lines of the build's console.</summary>
internal sealed class TaskfileRunLog(Action<string> log, string taskfile, bool verbose) : IRunObserver
{
    public void OnEvent(RunEvent e)
    {
        switch (e)
        {
            case TaskMessage m when !m.Verbose || verbose:
                log($"  {taskfile} │ {m.Text}");
                break;
            case TaskOutput o:
                log($"  {taskfile}:{o.InstanceId} │ {o.Line}");
                break;
        }
    }
}
