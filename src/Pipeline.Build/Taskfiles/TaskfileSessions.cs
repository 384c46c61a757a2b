using Pipeline.Build.Recording;
using Pipeline.Core.Typed;

namespace Pipeline.Build.Taskfiles;

/// <summary>The build's Taskfiles: one <see cref="TaskfileSession"/> each, opened when the graph is planned.</summary>
internal sealed class TaskfileSessions(string projectDirectory, IReadOnlyDictionary<string, string> variables, bool verbose,
    BuildRecording? recording, Action<string> log, CancellationToken cleanup)
{
    private readonly Dictionary<WorkflowHandle, TaskfileSession> _sessions = [];

    /// <summary>The session of <paramref name="taskfile"/>, reading the file the first time.</summary>
    /// <exception cref="Hosting.UsageException">The Taskfile has errors.</exception>
    public TaskfileSession For(WorkflowHandle taskfile)
    {
        lock (_sessions)
        {
            if (!_sessions.TryGetValue(taskfile, out var session))
                _sessions[taskfile] = session = TaskfileSession.Open(taskfile, projectDirectory, variables, verbose, recording, log, cleanup);
            return session;
        }
    }

    /// <summary>The exit code a failed build gets from its Taskfiles: 2 when a call was wrong (a missing variable...), else null (1).</summary>
    public int? ExitCode
    {
        get
        {
            lock (_sessions)
                return _sessions.Values.Select(s => s.Failure?.ExitCode).Any(c => c == Pipeline.Engine.Taskfile.TaskfileException.Invalid)
                    ? Pipeline.Engine.Taskfile.TaskfileException.Invalid : null;
        }
    }

    /// <summary>Ends every Taskfile run that began; each is recorded whole when this returns.</summary>
    public async Task EndAsync(bool cancelled)
    {
        List<TaskfileSession> sessions;
        lock (_sessions) sessions = _sessions.Values.ToList();
        foreach (var s in sessions) await s.EndAsync(cancelled).ConfigureAwait(false);
    }
}
