namespace Pipeline.Scheduling.Cron;

/// <summary>A cron expression a scheduler (Quartz, crontab, systemd, Windows) cannot run exactly as written: refused with the reason, never approximated.</summary>
public sealed class CronConversionException(string cron, string target, string reason, string hint)
    : Exception($"\"{cron}\" cannot be given to {target} as written: {reason}")
{
    public string Cron { get; } = cron;
    public string Target { get; } = target;
    public string Reason { get; } = reason;
    public string Hint { get; } = hint;
}
