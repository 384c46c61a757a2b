namespace Pipeline.Engine.Taskfile.Fingerprint;

/// <summary>
/// go-task's <c>method: timestamp</c>: up to date when no source is newer than the newest of the generated
/// files and the marker <c>&lt;temp&gt;/timestamp/&lt;task&gt;</c>, which is touched on every check.
/// </summary>
internal sealed class TimestampChecker(string tempDirectory)
{
    public bool IsUpToDate(string task, IReadOnlyList<string> sources, IReadOnlyList<string> generates, bool dryRun, out DateTime newestSource)
    {
        var marker = Path.Combine(tempDirectory, "timestamp", ChecksumChecker.StateFileName(task));
        var outputs = generates.ToList();
        var checkedAt = DateTime.UtcNow;
        if (File.Exists(marker)) outputs.Add(marker);
        else if (!dryRun)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(marker)!);
            File.WriteAllText(marker, "");
        }
        newestSource = sources.Count == 0 ? DateTime.MinValue : sources.Max(File.GetLastWriteTimeUtc);
        if (outputs.Count == 0 || sources.Count == 0) return false;
        var newestOutput = outputs.Max(File.GetLastWriteTimeUtc);
        var upToDate = !sources.Any(s => File.GetLastWriteTimeUtc(s) > newestOutput);
        if (!dryRun && File.Exists(marker)) File.SetLastWriteTimeUtc(marker, checkedAt);
        return upToDate;
    }
}
