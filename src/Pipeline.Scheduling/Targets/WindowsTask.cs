using System.Globalization;
using System.Xml.Linq;
using Pipeline.Scheduling.Cron;

namespace Pipeline.Scheduling.Targets;

/// <summary>
/// Our cron as Windows Task Scheduler XML (the task schema of <c>schtasks /create /xml</c>): one
/// <c>CalendarTrigger</c> per time of day (or one with a <c>Repetition</c> when the minutes step evenly
/// through a range of hours), scheduled by day, by week (week days) or by month (days of the month,
/// <c>L</c> as <c>Last</c>, months). Refused with the reason: seconds other than one value, both day
/// fields restricted, <c>W</c>, <c>#</c> and <c>L</c> on week days (Task Scheduler's weeks of the month are
/// not cron's), week days in some months only, a time zone other than UTC, more than 48 times a day
/// that no repetition covers.
/// </summary>
public static class WindowsTask
{
    public static readonly XNamespace Ns = "http://schemas.microsoft.com/windows/2004/02/mit/task";
    private static readonly string[] DayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    private static readonly string[] MonthNames = ["", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    /// <exception cref="CronConversionException">Something Task Scheduler cannot express exactly.</exception>
    public static IReadOnlyList<XElement> Triggers(string cron, string? timezone = null)
    {
        var f = CronFields.Parse(cron);
        void Refuse(string reason) => throw new CronConversionException(cron, "Windows Task Scheduler", reason, "use the internal scheduler (workflow serve) for this schedule");

        var utc = timezone is "UTC" or "Etc/UTC";
        if (!string.IsNullOrEmpty(timezone) && !utc) Refuse($"a task's start time has a fixed offset or the machine's zone, not {timezone} with its daylight-saving changes");
        var seconds = CronField.Values(f.Seconds, 0, 59);
        if (seconds is not { Count: 1 }) Refuse($"the seconds field \"{f.Seconds}\" names more than one second");
        var minutes = CronField.Values(f.Minutes, 0, 59)!;
        var hours = CronField.Values(f.Hours, 0, 23)!;

        var schedule = DaySchedule(f, Refuse);
        var times = new List<(int Hour, int Minute, TimeSpan? Every, TimeSpan? For)>();
        if (hours.Count * minutes.Count <= 48)
            foreach (var h in hours) foreach (var m in minutes) times.Add((h, m, null, null));
        else if (Step(minutes) is { } step && 60 % step == 0 && minutes.Min < step && minutes.Count == 60 / step && Contiguous(hours))
        {
            // From the first hour's first minute, every step minutes, until the last hour's last minute.
            var length = (hours.Max - hours.Min) * 60 + minutes.Max - minutes.Min + 1;
            times.Add((hours.Min, minutes.Min, TimeSpan.FromMinutes(step), TimeSpan.FromMinutes(length)));
        }
        else Refuse($"it runs {hours.Count * minutes.Count} times a day at times no repetition of a single start covers");

        return times.Select(t =>
        {
            var start = new DateTime(2000, 1, 1, t.Hour, t.Minute, seconds!.Min, DateTimeKind.Unspecified).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture) + (utc ? "Z" : "");
            var trigger = new XElement(Ns + "CalendarTrigger");
            if (t.Every is { } every)
                trigger.Add(new XElement(Ns + "Repetition",
                    new XElement(Ns + "Interval", Duration(every)),
                    new XElement(Ns + "Duration", Duration(t.For!.Value)),
                    new XElement(Ns + "StopAtDurationEnd", "false")));
            trigger.Add(new XElement(Ns + "StartBoundary", start), new XElement(Ns + "Enabled", "true"), new XElement(schedule));
            return trigger;
        }).ToList();
    }

    /// <summary>The whole task: its triggers, and the action that runs the workflow.</summary>
    public static XDocument Task(ScheduledCommand command, IEnumerable<(string Cron, string? Timezone)> schedules)
    {
        var triggers = schedules.SelectMany(s => Triggers(s.Cron, s.Timezone)).ToList();
        var arguments = string.Join(' ', command.Arguments.Skip(1).Select(a => a.Any(char.IsWhiteSpace) || a.Contains('"') ? "\"" + a.Replace("\"", "\\\"") + "\"" : a));
        return new XDocument(new XDeclaration("1.0", "UTF-16", null),
            new XElement(Ns + "Task", new XAttribute("version", "1.2"),
                new XElement(Ns + "RegistrationInfo", new XElement(Ns + "Description", $"Pipeline workflow {command.Name} ({command.WorkflowFile})")),
                new XElement(Ns + "Triggers", triggers),
                new XElement(Ns + "Settings",
                    new XElement(Ns + "MultipleInstancesPolicy", "IgnoreNew"),
                    new XElement(Ns + "StartWhenAvailable", "true"),
                    new XElement(Ns + "Enabled", "true")),
                new XElement(Ns + "Actions", new XAttribute("Context", "Author"),
                    new XElement(Ns + "Exec",
                        new XElement(Ns + "Command", command.Arguments[0]),
                        new XElement(Ns + "Arguments", arguments),
                        new XElement(Ns + "WorkingDirectory", command.WorkingDirectory)))));
    }

    private static XElement DaySchedule(CronFields f, Action<string> refuse)
    {
        var domText = f.DayOfMonth.ToUpperInvariant();
        var dowAny = CronField.IsEvery(f.DayOfWeek, 0, 6, weekDays: true);
        var domAny = CronFields.IsAny(f.DayOfMonth);
        var monthAny = CronField.IsEvery(f.Month, 1, 12, months: true);
        if (!dowAny && !domAny) refuse($"it restricts both the day of the month ({f.DayOfMonth}) and the day of the week ({f.DayOfWeek}), which together mean days matching both");
        if (!dowAny)
        {
            if (!monthAny) refuse($"it names week days ({f.DayOfWeek}) in some months only ({f.Month}); a weekly task has no months");
            var days = CronField.Values(f.DayOfWeek, 0, 6, weekDays: true);
            if (days is null) { refuse($"the day-of-week field \"{f.DayOfWeek}\" (L or #) counts weeks of the month as Task Scheduler does not"); return null!; }
            return new XElement(Ns + "ScheduleByWeek",
                new XElement(Ns + "DaysOfWeek", days.Select(d => new XElement(Ns + DayNames[d]))),
                new XElement(Ns + "WeeksInterval", "1"));
        }
        if (domAny && monthAny) return new XElement(Ns + "ScheduleByDay", new XElement(Ns + "DaysInterval", "1"));
        IEnumerable<string> monthDays;
        if (domAny) monthDays = Enumerable.Range(1, 31).Select(d => d.ToString(CultureInfo.InvariantCulture));
        else if (domText == "L") monthDays = ["Last"];
        else
        {
            var values = CronField.Values(f.DayOfMonth, 1, 31);
            if (values is null) { refuse($"the day-of-month field \"{f.DayOfMonth}\" (W, or L with an offset) has no Task Scheduler equivalent"); return null!; }
            monthDays = values.Select(d => d.ToString(CultureInfo.InvariantCulture));
        }
        var months = CronField.Values(f.Month, 1, 12, months: true)!;
        return new XElement(Ns + "ScheduleByMonth",
            new XElement(Ns + "DaysOfMonth", monthDays.Select(d => new XElement(Ns + "Day", d))),
            new XElement(Ns + "Months", months.Select(m => new XElement(Ns + MonthNames[m]))));
    }

    /// <summary>The common difference of an arithmetic progression of two or more values, or null.</summary>
    private static int? Step(SortedSet<int> values)
    {
        if (values.Count < 2) return null;
        var list = values.ToList();
        var step = list[1] - list[0];
        for (var i = 2; i < list.Count; i++) if (list[i] - list[i - 1] != step) return null;
        return step;
    }

    private static bool Contiguous(SortedSet<int> values) => values.Max - values.Min + 1 == values.Count;

    private static string Duration(TimeSpan span) => System.Xml.XmlConvert.ToString(span);
}
