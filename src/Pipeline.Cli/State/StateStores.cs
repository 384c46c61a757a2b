using Pipeline.State;

namespace Pipeline.Cli;

/// <summary>
/// How the CLI's commands open the state store (<see cref="StateLocation"/> says where it is): a run
/// goes on unrecorded with a warning when it cannot be opened; the commands that read history stop
/// with an error instead.
/// </summary>
internal static class StateStores
{
    public const string PostgresVariable = StateLocation.PostgresVariable;

    public static string PathIn(string stateDirectory) => StateLocation.DatabasePath(stateDirectory);

    /// <summary>True when no run was ever recorded here (no database file, and no PostgreSQL configured).</summary>
    public static bool NothingRecorded(string stateDirectory) => StateLocation.NothingRecorded(stateDirectory);

    /// <exception cref="StateStoreException">The store cannot be opened.</exception>
    public static RelationalStateStore Open(string stateDirectory) => StateLocation.Open(stateDirectory);

    /// <summary>For a run: the store, or null with a warning when it cannot be opened (the run still runs, with its report and logs).</summary>
    public static RelationalStateStore? OpenOrWarn(string stateDirectory, TextWriter error)
    {
        try
        {
            return Open(stateDirectory);
        }
        catch (StateStoreException e)
        {
            error.WriteLine($"workflow: warning: {e.Message}; this run is not recorded in the history");
            return null;
        }
    }

    /// <summary>
    /// For history, status, resume, prune, health and monitor: the store, or null with an error
    /// (exit code 2) when no run was ever recorded here.
    /// </summary>
    /// <exception cref="StateStoreException">The store is there but cannot be read (exit code 3, reported by Program).</exception>
    public static RelationalStateStore? OpenForReading(string stateDirectory, TextWriter error)
    {
        if (NothingRecorded(stateDirectory))
        {
            error.WriteLine($"workflow: no runs recorded yet: {Path.GetFullPath(PathIn(stateDirectory))} does not exist");
            error.WriteLine($"    hint: runs are recorded by `workflow run`; use --state-dir if they were recorded elsewhere, or set {PostgresVariable} if they are kept on a PostgreSQL server");
            return null;
        }
        return Open(stateDirectory);
    }

    /// <summary>
    /// For a run, before it starts: the store when one is there already (its history gives resume
    /// and estimates), else null and a run creates it with <see cref="OpenOrWarn"/>; a store that
    /// fails to open warns here once and the run goes on unrecorded.
    /// </summary>
    public static (RelationalStateStore? Store, bool Failed) OpenExisting(string stateDirectory, TextWriter error)
    {
        if (NothingRecorded(stateDirectory)) return (null, false);
        var store = OpenOrWarn(stateDirectory, error);
        return (store, store is null);
    }

    /// <summary>Whether an execution's process still runs (see <see cref="ExecutionProcesses.IsAlive"/>).</summary>
    public static bool IsAlive(ExecutionRecord e) => ExecutionProcesses.IsAlive(e);

    /// <summary>
    /// The plan's estimate of each task from its recorded runs (median of its latest successful runs), or
    /// null when there is no history; the plan then falls back to timeouts.
    /// </summary>
    /// <summary>How many of a task's latest successes its estimate is the median of.</summary>
    public const int EstimateSamples = 20;

    public static Func<Pipeline.Core.Model.TaskDefinition, double?>? HistoryEstimates(IStateStore? store, string workflow)
    {
        if (store is null) return null;
        var medians = store.RecentSuccessDurations(workflow, EstimateSamples)
            .ToDictionary(g => g.Key, g => TaskMetrics.Percentile(g.Value.ToList(), 0.5).TotalSeconds);
        return medians.Count == 0 ? null : task => medians.TryGetValue(task.Id.Value, out var seconds) ? seconds : null;
    }

    public static string? HashOf(string path) => StateLocation.HashOf(path);
}
