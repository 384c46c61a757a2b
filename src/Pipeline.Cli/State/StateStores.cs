using System.Security.Cryptography;
using Pipeline.State;

namespace Pipeline.Cli;

/// <summary>
/// Where the CLI keeps runs: on the PostgreSQL server named by <c>WORKFLOW_POSTGRES</c> when that
/// is set (a connection string or a <c>postgresql://</c> URL; an environment variable because it
/// usually holds a password, which must not show in <c>ps</c> or shell history), else in
/// <c>&lt;state-dir&gt;/state.db</c>. Reports and logs stay under the state directory either way.
/// </summary>
internal static class StateStores
{
    public const string PostgresVariable = "WORKFLOW_POSTGRES";

    public static string PathIn(string stateDirectory) => Path.Combine(stateDirectory, "state.db");

    private static string? PostgresConnection => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } s ? s : null;

    /// <summary>No run was ever recorded here: no server configured and no database file.</summary>
    private static bool NothingRecorded(string stateDirectory) => PostgresConnection is null && !File.Exists(PathIn(stateDirectory));

    /// <summary>Opens the configured store.</summary>
    /// <exception cref="StateStoreException">It cannot be opened; the message says which store and why.</exception>
    private static RelationalStateStore Open(string stateDirectory)
    {
        if (PostgresConnection is not { } connection) return SqliteStateStore.Open(PathIn(stateDirectory));
        try { return PostgresStateStore.Open(connection); }
        catch (StateStoreException e) { throw new StateStoreException($"{e.Message} (the connection string comes from {PostgresVariable})", e.InnerException); }
    }

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

    /// <summary>
    /// Whether an execution's process still runs, here: another machine's process cannot be checked
    /// and counts as alive (refusing is the safe side), as does a reused pid.
    /// </summary>
    public static bool IsAlive(ExecutionRecord e)
    {
        if (e.Pid is not { } pid) return false;
        if (e.Host != Environment.MachineName) return true;
        if (pid == Environment.ProcessId) return false;
        var stat = $"/proc/{pid}/stat";
        try
        {
            if (!File.Exists(stat)) return false;
            var text = File.ReadAllText(stat);
            return text[text.LastIndexOf(')') + 2] != 'Z';
        }
        catch (IOException) { return false; }
    }

    /// <summary>
    /// The plan's estimate of each task from its recorded runs (median of its successful runs), or
    /// null when there is no history; the plan then falls back to timeouts.
    /// </summary>
    public static Func<Pipeline.Core.Model.TaskDefinition, double?>? HistoryEstimates(IStateStore? store, string workflow)
    {
        if (store is null) return null;
        var medians = store.TaskSamples(workflow, null).Where(s => s.Status == "succeeded").GroupBy(s => s.TaskId)
            .ToDictionary(g => g.Key, g => TaskMetrics.Percentile(g.Select(s => s.Duration).ToList(), 0.5).TotalSeconds);
        return medians.Count == 0 ? null : task => medians.TryGetValue(task.Id.Value, out var seconds) ? seconds : null;
    }

    /// <summary>SHA-256 of a workflow file, or null when it cannot be read.</summary>
    public static string? HashOf(string path)
    {
        try { return Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))).ToLowerInvariant(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }
}
