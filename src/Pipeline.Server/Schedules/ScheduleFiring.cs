namespace Pipeline.Server.Schedules;

/// <summary>
/// One firing of a workflow's schedule trigger: which trigger (the workflow and the trigger's place
/// among its triggers), the time the schedule called for and the time it fired.
/// </summary>
public sealed record ScheduleFiring(string Workflow, int TriggerIndex, string Cron, string? TimeZone, DateTimeOffset ScheduledAt, DateTimeOffset FiredAt, int JitterMs)
{
    /// <summary>Names this firing for <see cref="Runs.TriggerClaims"/>: one run per trigger and fire time.</summary>
    public string ClaimKey => $"schedule:{Workflow}#{TriggerIndex}@{ScheduledAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}";
}

/// <summary>Where the scheduler's firings go (the server starts runs; tests record them).</summary>
public interface IScheduleSink
{
    Task FireAsync(ScheduleFiring firing, CancellationToken cancellationToken);
}
