using Pipeline.Engine.Planning;
using Pipeline.Engine.Running;

namespace Pipeline.Engine.Events;

/// <summary>
/// What the engine tells its observers. Everything that watches a run (console display, report and
/// logs, history, notifications, annotations) is an observer of these events; the engine itself
/// writes nothing to a console or file. Texts are masked before they are published.
/// </summary>
public abstract record RunEvent(string ExecutionId, DateTimeOffset At);

public sealed record RunStarted(string ExecutionId, DateTimeOffset At, ExecutionPlan Plan, int MaxParallel) : RunEvent(ExecutionId, At);

public sealed record TaskStarted(string ExecutionId, DateTimeOffset At, string InstanceId, string TaskId, string DisplayName, string Role, int Attempt)
    : RunEvent(ExecutionId, At);

/// <summary>
/// A task's attempt started a process: its id (on Linux also its session's) and its start time as
/// <see cref="Processes.ProcessIdentity"/> reads it, recorded so that resume can stop what a killed runner left running.
/// The engine leaves the start time null: the state recorder reads it, off the task's critical path.
/// </summary>
public sealed record TaskProcessStarted(string ExecutionId, DateTimeOffset At, string InstanceId, int ProcessId, string? ProcessStart)
    : RunEvent(ExecutionId, At);

public enum OutputStream { Stdout, Stderr }

/// <summary>A line a task printed. <see cref="Live"/> is true when the task asked for live output.</summary>
public sealed record TaskOutput(string ExecutionId, DateTimeOffset At, string InstanceId, OutputStream Stream, string Line, bool Live)
    : RunEvent(ExecutionId, At);

/// <summary>An attempt failed and another follows after <see cref="Delay"/>.</summary>
public sealed record TaskRetrying(string ExecutionId, DateTimeOffset At, string InstanceId, AttemptRecord Failed, TimeSpan Delay)
    : RunEvent(ExecutionId, At);

/// <summary>
/// A line the engine says about a task rather than one the task printed: a Taskfile's command echo
/// (<c>task: [build] go build</c>), "is up to date", an ignored error. <see cref="Verbose"/> lines are shown
/// only with --verbose.
/// </summary>
public sealed record TaskMessage(string ExecutionId, DateTimeOffset At, string InstanceId, string Text, bool Verbose = false)
    : RunEvent(ExecutionId, At);

public sealed record TaskFinished(string ExecutionId, DateTimeOffset At, TaskResult Result) : RunEvent(ExecutionId, At);

public sealed record RunFinished(string ExecutionId, DateTimeOffset At, RunResult Result) : RunEvent(ExecutionId, At);

/// <summary>Receives a run's events. Called from the engine's threads one event at a time, in order.</summary>
public interface IRunObserver
{
    void OnEvent(RunEvent e);
}

/// <summary>
/// An observer that records the run where it survives a crash (the state store), and may do so a
/// little after it is given an event. A task marked <c>resumable: false</c> starts its work only
/// once <see cref="FlushAsync"/> says its start is recorded: otherwise a crash in between would
/// leave no trace of it, and a resumed run would run it a second time.
/// </summary>
public interface IDurableRunObserver : IRunObserver
{
    /// <summary>Completes when every event given so far is recorded.</summary>
    Task FlushAsync();
}
