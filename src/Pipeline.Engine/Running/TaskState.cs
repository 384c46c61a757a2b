namespace Pipeline.Engine.Running;

/// <summary>
/// Where a task instance is in its life. Written in reports as snake_case. <see cref="Cached"/>:
/// it did not run because its cache entry was restored (its outputs, files and log), which counts
/// as success everywhere.
/// </summary>
public enum TaskState { Pending, Running, Succeeded, Failed, Skipped, Cancelled, TimedOut, Cached }

public static class TaskStates
{
    public static string Name(this TaskState state) => state switch
    {
        TaskState.TimedOut => "timed_out",
        _ => state.ToString().ToLowerInvariant(),
    };

    /// <summary>Failed or timed out: the states that trigger on_failure and, unless continue_on_error, fail the run.</summary>
    public static bool IsFailure(this TaskState state) => state is TaskState.Failed or TaskState.TimedOut;

    /// <summary>Succeeded, or taken from the cache (which stands for an earlier success).</summary>
    public static bool IsSuccess(this TaskState state) => state is TaskState.Succeeded or TaskState.Cached;

    /// <summary>The name of a stored state that counts as success (history and resume read names back).</summary>
    public static bool IsSuccessName(string? name) => name is "succeeded" or "cached";
}

/// <summary>The outcome of a whole run.</summary>
public enum RunStatus { Succeeded, Failed, Cancelled }
