namespace Pipeline.Scheduling.Cron;

/// <summary>
/// Our cron in Quartz.NET's form (<c>sec min hour day-of-month month day-of-week</c>). What differs:
/// Quartz wants <c>?</c> in one of the two day fields, and numbers its week days 1–7 from Sunday
/// where cron says 0–6 (or 7) from Sunday — so week days are written as names (or Quartz's numbers
/// for <c>L</c> and <c>#</c>). A week-day list that names all seven days restricts nothing. When both
/// day fields are restricted, our schedules (Cronos) run on days that match both, and Quartz on days
/// that match either: such an expression is refused, never run on other days than it says. The tests
/// compare the next fire times of both for hundreds of expressions.
/// </summary>
public static class QuartzCron
{
    private static readonly string[] Names = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    /// <exception cref="CronConversionException">Both day fields are restricted.</exception>
    public static string Convert(string cron)
    {
        var f = CronFields.Parse(cron);
        var dom = f.DayOfMonth.ToUpperInvariant();
        var dow = f.DayOfWeek.ToUpperInvariant();
        if (CronFields.IsAny(dow) || EveryDay(dow)) dow = "?";
        else if (!CronFields.IsAny(dom))
            throw new CronConversionException(cron, "Quartz",
                $"it restricts both the day of the month ({f.DayOfMonth}) and the day of the week ({f.DayOfWeek}): it runs on days that match both, which Quartz reads as days that match either",
                "split it into two triggers, or keep one of the two day fields *");
        else
        {
            dow = DayOfWeek(dow);
            if (CronFields.IsAny(dom)) dom = "?";
        }
        return string.Join(' ', f.Seconds, f.Minutes, f.Hours, dom, f.Month.ToUpperInvariant(), dow);
    }

    /// <summary>A plain list or range that names all seven days (<c>0-7</c>, <c>0-6</c>, <c>SUN-SAT</c>).</summary>
    internal static bool EveryDay(string field) => CronField.IsEvery(field, 0, 6, weekDays: true);

    /// <summary>Cron's day-of-week field in Quartz's terms: every item a name, <c>L</c> and <c>#</c> with Quartz's numbers.</summary>
    private static string DayOfWeek(string field)
    {
        var items = new List<string>();
        foreach (var item in field.Split(','))
        {
            if (item.EndsWith('L') && item.Length > 1) { items.Add($"{QuartzDay(Day(item[..^1]))}L"); continue; }
            if (item.Contains('#')) { var parts = item.Split('#'); items.Add($"{QuartzDay(Day(parts[0]))}#{parts[1]}"); continue; }
            items.AddRange(CronField.Values(item, 0, 6, weekDays: true)!.Select(d => Names[d]));
        }
        // Each day once, in week order, so "*/2" and "0,2,4,6" read the same.
        return string.Join(',', items.Distinct().OrderBy(i => Array.IndexOf(Names, i) is var n && n >= 0 ? n : 7));
    }

    /// <summary>A cron day: 0–7 (0 and 7 are Sunday) or a name.</summary>
    private static int Day(string text) => CronField.Values(text, 0, 6, weekDays: true)!.Single();

    private static int QuartzDay(int cronDay) => cronDay + 1;
}
