using Pipeline.Scheduling.Cron;

namespace Pipeline.Scheduling.Targets;

/// <summary>
/// Our cron as a crontab schedule (Vixie cron, Debian's): five fields, minute resolution, the
/// machine's time zone. Refused with the reason: seconds other than 0, a time zone other than the
/// machine's, L, W and #, and both day fields restricted (cron runs on days matching either, our
/// schedules on days matching both).
/// </summary>
public static class CrontabLine
{
    /// <exception cref="CronConversionException">Something crontab cannot express.</exception>
    public static string Schedule(string cron, string? timezone = null)
    {
        var f = CronFields.Parse(cron);
        void Refuse(string reason, string hint) => throw new CronConversionException(cron, "crontab", reason, hint);
        if (f.Seconds != "0") Refuse($"crontab runs at most once a minute, and the seconds field is \"{f.Seconds}\"", "use the internal scheduler (workflow serve) or a systemd timer");
        if (!string.IsNullOrEmpty(timezone) && !SameAsMachine(timezone))
            Refuse($"crontab runs in the machine's time zone ({TimeZoneInfo.Local.Id}), not {timezone}", "use a systemd timer (it takes a time zone) or the internal scheduler");
        foreach (var (name, value) in new[] { ("day-of-month", f.DayOfMonth), ("day-of-week", f.DayOfWeek) })
            if (value.ToUpperInvariant().Any(c => c is '#' or 'W' or 'L') && CronField.Values(value, 0, 31, weekDays: name == "day-of-week") is null)
                Refuse($"crontab has no {value} (the {name} field)", "use the internal scheduler (workflow serve)");
        var domRestricted = !CronFields.IsAny(f.DayOfMonth);
        var dowRestricted = !CronField.IsEvery(f.DayOfWeek, 0, 6, weekDays: true);
        if (domRestricted && dowRestricted)
            Refuse($"it restricts both the day of the month ({f.DayOfMonth}) and the day of the week ({f.DayOfWeek}): it runs on days that match both, which cron reads as days that match either",
                "use a systemd timer (it reads them as both) or split the schedule");
        return string.Join(' ', f.Minutes, f.Hours, f.DayOfMonth, f.Month, dowRestricted ? f.DayOfWeek : "*");
    }

    private static bool SameAsMachine(string timezone)
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById(timezone).Id == TimeZoneInfo.Local.Id || (timezone is "UTC" or "Etc/UTC" && TimeZoneInfo.Local.BaseUtcOffset == TimeSpan.Zero && !TimeZoneInfo.Local.SupportsDaylightSavingTime); }
        catch (TimeZoneNotFoundException) { return false; }
    }
}
