using System.Security.Cryptography;
using Pipeline.State;

namespace Pipeline.Cli;

/// <summary>Where the CLI keeps runs: <c>&lt;state-dir&gt;/state.db</c>.</summary>
internal static class StateStores
{
    public static string PathIn(string stateDirectory) => Path.Combine(stateDirectory, "state.db");

    /// <summary>For a run: the store, or null with a warning when it cannot be opened (the run still runs, with its report and logs).</summary>
    public static SqliteStateStore? OpenOrWarn(string stateDirectory, TextWriter error)
    {
        try
        {
            return SqliteStateStore.Open(PathIn(stateDirectory));
        }
        catch (StateStoreException e)
        {
            error.WriteLine($"workflow: warning: {e.Message}; this run is not recorded in the history");
            return null;
        }
    }

    /// <summary>For history and status: the store, or null with an error (exit code 2) when there is none or it cannot be read.</summary>
    public static SqliteStateStore? OpenForReading(string stateDirectory, TextWriter error)
    {
        var path = PathIn(stateDirectory);
        if (!File.Exists(path))
        {
            error.WriteLine($"workflow: no runs recorded yet: {Path.GetFullPath(path)} does not exist");
            error.WriteLine("    hint: runs are recorded by `workflow run`; use --state-dir if they were recorded elsewhere");
            return null;
        }
        try
        {
            return SqliteStateStore.Open(path);
        }
        catch (StateStoreException e)
        {
            error.WriteLine($"workflow: {e.Message}");
            return null;
        }
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

    /// <summary>The store when there is one already and it opens; else null, silently (a run then creates it, or warns).</summary>
    public static SqliteStateStore? OpenExisting(string stateDirectory)
    {
        if (!File.Exists(PathIn(stateDirectory))) return null;
        try { return SqliteStateStore.Open(PathIn(stateDirectory)); }
        catch (StateStoreException) { return null; }
    }

    /// <summary>SHA-256 of a workflow file, or null when it cannot be read.</summary>
    public static string? HashOf(string path)
    {
        try { return Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))).ToLowerInvariant(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }
}
