using Pipeline.Scheduling.Cron;

namespace Pipeline.Scheduling.Targets;

/// <summary>
/// Our cron as a systemd timer's <c>OnCalendar=</c>: <c>DOW YYYY-MM-DD HH:MM:SS [zone]</c> with every
/// restricted field written as its explicit values (no step syntax to misread). Both day fields
/// restricted means days matching both, as in our schedules; <c>L</c> (the last day) is <c>~01</c>.
/// <c>W</c> and <c>#</c> have no systemd equivalent and are refused. One difference systemd keeps:
/// a time that does not exist on the day the clocks go forward is skipped, where our scheduler runs
/// it at the change.
/// </summary>
public static class SystemdCalendar
{
    private static readonly string[] Days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

    /// <exception cref="CronConversionException">A field systemd cannot express.</exception>
    public static string Convert(string cron, string? timezone = null)
    {
        var f = CronFields.Parse(cron);
        string Refuse(string field, string value) =>
            throw new CronConversionException(cron, "a systemd timer", $"the {field} field \"{value}\" has no OnCalendar= equivalent", "use the internal scheduler (workflow serve) for this schedule");

        string Numbers(string field, string name, int min, int max, bool months = false)
        {
            if (CronField.IsEvery(field, min, max, months: months)) return "*";
            var values = CronField.Values(field, min, max, months: months) ?? throw new CronConversionException(cron, "a systemd timer", $"the {name} field \"{field}\" is not a plain list", "");
            return string.Join(',', values.Select(v => v.ToString("00", System.Globalization.CultureInfo.InvariantCulture)));
        }

        var seconds = Numbers(f.Seconds, "seconds", 0, 59);
        var minutes = Numbers(f.Minutes, "minutes", 0, 59);
        var hours = Numbers(f.Hours, "hours", 0, 23);
        var months = Numbers(f.Month, "month", 1, 12, months: true);
        string dom;
        var domText = f.DayOfMonth.ToUpperInvariant();
        if (domText == "L") dom = "~01";
        else if (domText.Contains('W') || domText.Contains('L')) dom = Refuse("day-of-month", f.DayOfMonth);
        else dom = Numbers(f.DayOfMonth, "day-of-month", 1, 31);
        var weekDays = "";
        if (!CronField.IsEvery(f.DayOfWeek, 0, 6, weekDays: true))
        {
            var values = CronField.Values(f.DayOfWeek, 0, 6, weekDays: true) ?? (ISet<int>)new HashSet<int>();
            if (values.Count == 0) Refuse("day-of-week", f.DayOfWeek);
            weekDays = string.Join(',', values.Select(d => Days[d])) + " ";
        }
        var date = dom.StartsWith('~') ? $"*-{months}{dom}" : $"*-{months}-{dom}";
        var zone = string.IsNullOrEmpty(timezone) ? "" : " " + timezone;
        return $"{weekDays}{date} {hours}:{minutes}:{seconds}{zone}";
    }
}
