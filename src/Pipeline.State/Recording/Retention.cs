using System.Globalization;
namespace Pipeline.State;

/// <summary>
/// How long runs are kept: 30 days by default, so the store and the logs do not grow forever.
/// <c>WORKFLOW_RETENTION_DAYS</c> changes it (0 keeps everything). <c>workflow run</c> applies it
/// and build projects apply it after each run; <c>workflow prune</c> applies any age on demand.
/// </summary>
public static class Retention
{
    public const int DefaultDays = 30;

    public static int Days =>
        int.TryParse(Environment.GetEnvironmentVariable("WORKFLOW_RETENTION_DAYS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var d) && d >= 0
            ? d
            : DefaultDays;

    /// <summary>Deletes what finished before <paramref name="before"/>: the rows, and each execution's folder of report and logs.</summary>
    public static IReadOnlyList<string> Apply(IStateStore store, string stateDirectory, DateTimeOffset before, bool dryRun = false)
    {
        var ids = store.Prune(before, dryRun);
        if (!dryRun) DeleteFolders(stateDirectory, ids);
        return ids;
    }

    /// <summary>Deletes the executions' folders of report and logs; one that cannot go (a log still open elsewhere) is left for next time.</summary>
    public static void DeleteFolders(string stateDirectory, IEnumerable<string> executionIds)
    {
        foreach (var id in executionIds)
        {
            var folder = Path.Combine(stateDirectory, "runs", id);
            try { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }
}
