using Pipeline.Core.Expressions;
using Pipeline.Core.Model;
using Pipeline.Engine.Events;
using Pipeline.Engine.Running;

namespace Pipeline.Engine.Executors;

/// <summary>Runs one attempt of one task type. Executors are small, stateless and replaceable.</summary>
public interface ITaskExecutor
{
    /// <summary>
    /// Runs the attempt. Failures the user can cause (exit code, HTTP status, missing interpreter) are
    /// returned as a failed outcome, not thrown. The token fires on timeout and on cancellation; the
    /// executor must stop promptly and leave no process behind.
    /// </summary>
    Task<ExecutionOutcome> ExecuteAsync(TaskInvocation invocation, CancellationToken cancellationToken);
}

/// <summary>How an attempt ended. <see cref="Outputs"/> hold raw values; the engine masks what it publishes.</summary>
public sealed record ExecutionOutcome
{
    public required bool Succeeded { get; init; }
    public int? ExitCode { get; init; }
    public string? Error { get; init; }
    public IReadOnlyDictionary<string, string> Outputs { get; init; } = new Dictionary<string, string>();
    public string Stdout { get; init; } = "";
    public string Stderr { get; init; } = "";

    /// <summary>Set when the task found it had nothing to do (a build target's dynamic condition): it is skipped, and its dependents still run.</summary>
    public string? SkipReason { get; init; }

    public static ExecutionOutcome Fail(string error) => new() { Succeeded = false, Error = error };
}

/// <summary>Everything an executor may use for one attempt of one task instance.</summary>
public sealed class TaskInvocation
{
    public required TaskDefinition Task { get; init; }
    public required string InstanceId { get; init; }

    /// <summary>The run's execution id (resources the task creates outside the engine, such as containers, are labelled with it).</summary>
    public string ExecutionId { get; init; } = "";
    public string WorkflowName { get; init; } = "";
    public required int Attempt { get; init; }

    /// <summary>The expression context of this instance (env, secrets, tasks, item, index, workflow, trigger).</summary>
    public required ExpressionContext Expressions { get; init; }

    /// <summary>Variables to add to the inherited process environment: workflow env, then the task's env, rendered.</summary>
    public required IReadOnlyDictionary<string, string?> Environment { get; init; }

    /// <summary>What a process the task starts inherits under <see cref="Environment"/> (the run's snapshot of the engine's environment); null: the engine's environment as the process starts.</summary>
    public Processes.InheritedEnvironment? InheritedEnvironment { get; init; }

    /// <summary>Absolute working directory (the task's cwd, resolved against the workflow file's folder).</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>The workflow file's folder: relative paths in the task resolve against it.</summary>
    public required string WorkflowDirectory { get; init; }

    /// <summary>
    /// Gives a path for a temporary file of this attempt (the file is not created), in a folder the
    /// run deletes at its end. Files rather than a folder per attempt: creating and deleting thousands
    /// of folders cost more than running a small task.
    /// </summary>
    public required Func<string, string> ScratchFile { get; init; }

    /// <summary>How to stop the task's processes when it is cancelled: SIGTERM, a grace period, SIGKILL.</summary>
    public Processes.StopPolicy Stop { get; init; } = Processes.StopPolicy.Immediate;

    /// <summary>Tells the engine the id of a process the task started (recorded, so resume can stop it if the runner dies).</summary>
    public Action<int>? ProcessStarted { get; init; }

    /// <summary>Publishes a line the task printed (masked and turned into an event by the engine).</summary>
    public required Action<OutputStream, string> Output { get; init; }

    /// <summary>Runs tasks this one invokes (branches, group members, loop items) through the engine.</summary>
    public required IChildTaskRunner Children { get; init; }

    /// <summary>HTTP clients shared by the run.</summary>
    public required HttpClients Http { get; init; }

    /// <summary>
    /// Completes once the run's state store and display have every event published so far (a build
    /// target waits for it before something else prints to the same console: a Taskfile's own run).
    /// </summary>
    public Func<System.Threading.Tasks.Task> Recorded { get; init; } = () => System.Threading.Tasks.Task.CompletedTask;

    /// <summary>Renders a string with ${...} to text (for URLs, headers, paths: not for shell scripts).</summary>
    public string Render(Core.Text.LocatedString value) => InterpolatedString.Parse(value.Value).Render(Expressions);
}

/// <summary>Runs a task that another task invokes, with its own conditions, retries, timeout and callbacks.</summary>
public interface IChildTaskRunner
{
    /// <param name="scope">Extra expression roots for the child (a loop's item and index).</param>
    /// <param name="instanceSuffix">Appended to the child's instance id (a loop item's index).</param>
    Task<TaskResult> RunChildAsync(TaskDefinition child, string role, IReadOnlyDictionary<string, ExprValue>? scope, string? instanceSuffix, CancellationToken cancellationToken);
}

/// <summary>The run's HTTP clients: one follows redirects, one does not. Timeouts come from the task's token.</summary>
public sealed class HttpClients : IDisposable
{
    public HttpClient Following { get; } = new(new SocketsHttpHandler { AllowAutoRedirect = true }) { Timeout = Timeout.InfiniteTimeSpan };
    public HttpClient NotFollowing { get; } = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };

    public void Dispose()
    {
        Following.Dispose();
        NotFollowing.Dispose();
    }
}
