namespace Pipeline.Scheduling.Targets;

/// <summary>
/// The user's crontab, edited through the <c>crontab</c> program (<c>crontab -l</c>, <c>crontab -</c>):
/// our lines carry a marker comment naming the workflow file, so install replaces and remove deletes
/// exactly those lines and leaves every other entry as it was.
/// </summary>
public sealed class Crontab(string program = "crontab")
{
    public const string Marker = "# pipeline-workflow ";

    /// <summary>One line of ours: its schedule, the workflow file it runs, the whole line.</summary>
    public sealed record Entry(string Schedule, string WorkflowFile, string Line);

    /// <exception cref="InvalidOperationException">crontab is missing or refused; the message says why.</exception>
    public string Read()
    {
        var (exit, output, error) = Run(["-l"], null);
        if (exit == 0) return output;
        if (error.Contains("no crontab for", StringComparison.Ordinal)) return "";
        throw new InvalidOperationException($"crontab -l failed ({exit}): {error.Trim()}");
    }

    public IReadOnlyList<Entry> List() => Read().Split('\n')
        .Where(l => l.Contains(Marker, StringComparison.Ordinal))
        .Select(l =>
        {
            var fields = l.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            return new Entry(string.Join(' ', fields.Take(5)), l[(l.IndexOf(Marker, StringComparison.Ordinal) + Marker.Length)..].Trim(), l);
        })
        .ToList();

    /// <summary>Replaces the lines of the command's workflow file with one per schedule, each running <paramref name="command"/>.</summary>
    public void Install(IEnumerable<string> schedules, ScheduledCommand command)
    {
        var kept = Without(Read(), command.WorkflowFile);
        foreach (var schedule in schedules) kept.Add($"{schedule} {command.ShellLine} {Marker}{command.WorkflowFile}");
        Write(kept);
    }

    /// <returns>Whether there were lines of <paramref name="workflowFile"/> to remove.</returns>
    public bool Remove(string workflowFile)
    {
        var before = Read();
        var kept = Without(before, workflowFile);
        if (kept.Count == before.Split('\n').Count(l => l.Length > 0)) return false;
        Write(kept);
        return true;
    }

    private static List<string> Without(string table, string workflowFile) => table.Split('\n')
        .Where(l => l.Length > 0 && !l.EndsWith(Marker + workflowFile, StringComparison.Ordinal))
        .ToList();

    private void Write(IReadOnlyList<string> lines)
    {
        var (exit, _, error) = Run(["-"], string.Concat(lines.Select(l => l + "\n")));
        if (exit != 0) throw new InvalidOperationException($"crontab - failed ({exit}): {error.Trim()}");
    }

    private (int Exit, string Output, string Error) Run(string[] args, string? input) =>
        Programs.Run(program, args, input) ?? throw new InvalidOperationException($"'{program}' was not found: install cron (apt-get install cron)");
}
