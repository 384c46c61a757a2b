namespace Pipeline.State;

/// <summary>Whether the process an execution row names still runs: what tells an interrupted run from a live one.</summary>
public static class ExecutionProcesses
{
    /// <summary>
    /// Whether an execution's process still runs, here: another machine's process cannot be checked
    /// and counts as alive (refusing is the safe side), as does a reused pid. This process's own
    /// rows are not judged here (the caller knows its own runs).
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

    /// <summary>Runs started by `workflow serve` (a webhook, a schedule, a file change) share the server's process: stopping that pid would stop the server.</summary>
    public static bool IsServed(ExecutionRecord e) => e.Trigger is "webhook" or "schedule" or "file_change";
}
