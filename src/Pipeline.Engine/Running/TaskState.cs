namespace Pipeline.Engine.Running;

/// <summary>Where a task instance is in its life. Written in reports as snake_case.</summary>
public enum TaskState { Pending, Running, Succeeded, Failed, Skipped, Cancelled, TimedOut }

public static class TaskStates
{
    public static string Name(this TaskState state) => state switch
    {
        TaskState.TimedOut => "timed_out",
        _ => state.ToString().ToLowerInvariant(),
    };

    /// <summary>Failed or timed out: the states that trigger on_failure and, unless continue_on_error, fail the run.</summary>
    public static bool IsFailure(this TaskState state) => state is TaskState.Failed or TaskState.TimedOut;
}

/// <summary>The outcome of a whole run.</summary>
public enum RunStatus { Succeeded, Failed, Cancelled }
