using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Cronos;

namespace Pipeline.Core.Scheduling;

/// <summary>
/// Cron expressions through Cronos: 5 fields (minute hour day-of-month month day-of-week) or 6 with
/// seconds first, plus macros such as @daily. <see cref="Describe"/> explains one in plain English.
/// </summary>
public static class CronSchedule
{
    /// <summary>Parses; on failure returns null and a message that names the bad field.</summary>
    public static CronExpression? TryParse(string text, out string? error)
    {
        error = null;
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            error = "the schedule is empty";
            return null;
        }
        var fields = trimmed.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
        if (!trimmed.StartsWith("@", StringComparison.Ordinal) && fields.Length != 5 && fields.Length != 6)
        {
            error = $"a cron expression has 5 fields (minute hour day month weekday) or 6 (seconds first), not {fields.Length}";
            return null;
        }
        try
        {
            var format = fields.Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
            return CronExpression.Parse(string.Join(" ", fields), format);
        }
        catch (CronFormatException ex)
        {
            error = ex.Message.TrimEnd('.');
            return null;
        }
    }

    /// <summary>The next occurrences after <paramref name="from"/> in <paramref name="zone"/>.</summary>
    public static IReadOnlyList<DateTimeOffset> Next(CronExpression expression, DateTimeOffset from, TimeZoneInfo zone, int count)
    {
        var list = new List<DateTimeOffset>();
        var cursor = from;
        for (var i = 0; i < count; i++)
        {
            var next = expression.GetNextOccurrence(cursor, zone);
            if (next is null) break;
            list.Add(next.Value);
            cursor = next.Value;
        }
        return list;
    }

    private static readonly string[] Months = { "", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December" };
    private static readonly string[] Days = { "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday" };

    /// <summary>
    /// A plain-English reading of a 5- or 6-field expression, e.g. "0 2 * * 1-5" → "at 02:00, Monday
    /// through Friday". Covers the common shapes; falls back to describing each field.
    /// </summary>
    public static string Describe(string text)
    {
        var t = text.Trim();
        switch (t)
        {
            case "@yearly": case "@annually": return "at 00:00 on 1 January";
            case "@monthly": return "at 00:00 on day 1 of every month";
            case "@weekly": return "at 00:00 every Sunday";
            case "@daily": case "@midnight": return "at 00:00 every day";
            case "@hourly": return "at minute 0 of every hour";
            case "@every_minute": return "every minute";
            case "@every_second": return "every second";
        }
        var f = t.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
        if (f.Length != 5 && f.Length != 6) return t;
        var seconds = f.Length == 6 ? f[0] : "0";
        var o = f.Length == 6 ? 1 : 0;
        string minute = f[o], hour = f[o + 1], dom = f[o + 2], month = f[o + 3], dow = f[o + 4];

        string time;
        if (IsNumber(minute) && IsNumber(hour) && IsNumber(seconds))
            time = seconds == "0" ? $"at {Int(hour):00}:{Int(minute):00}" : $"at {Int(hour):00}:{Int(minute):00}:{Int(seconds):00}";
        else if (minute == "*" && hour == "*")
            time = seconds == "*" ? "every second" : f.Length == 6 && seconds != "0" ? $"{Part(seconds, "second")} of every minute" : "every minute";
        else if (minute.StartsWith("*/", StringComparison.Ordinal) && hour == "*")
            time = $"every {minute.Substring(2)} minutes";
        else if (IsNumber(minute) && hour == "*")
            time = $"at minute {Int(minute)} of every hour";
        else if (IsNumber(minute) && hour.StartsWith("*/", StringComparison.Ordinal))
            time = $"at minute {Int(minute)} past every {hour.Substring(2)} hours";
        else
            time = $"{Part(minute, "minute")}, {Part(hour, "hour")}";

        var parts = new List<string> { time };
        if (dom != "*" && dom != "?") parts.Add(dom.StartsWith("*/", StringComparison.Ordinal) ? $"every {dom.Substring(2)} days" : $"on day {Named(dom, null)} of the month");
        if (month != "*") parts.Add($"in {Named(month, Months)}");
        if (dow != "*" && dow != "?") parts.Add(Named(dow, Days) switch
        {
            "Monday through Friday" => "on weekdays",
            "Saturday, Sunday" or "Sunday, Saturday" => "on weekends",
            var d => $"on {d}",
        });
        else if (dom == "*" || dom == "?") parts.Add("every day");
        return string.Join(", ", parts);
    }

    private static bool IsNumber(string s) => s.Length > 0 && s.All(char.IsDigit);
    private static int Int(string s) => int.Parse(s, CultureInfo.InvariantCulture);

    private static string Part(string field, string unit)
    {
        if (field == "*") return $"every {unit}";
        if (field.StartsWith("*/", StringComparison.Ordinal)) return $"every {field.Substring(2)} {unit}s";
        return $"{unit} {field}";
    }

    /// <summary>Lists and ranges with names: "1-5" → "Monday through Friday", "1,15" → "1 and 15".</summary>
    private static string Named(string field, string[]? names)
    {
        string Name(string v)
        {
            if (names is null || !IsNumber(v)) return v.ToUpperInvariant() == v ? Capitalize(v) : v;
            var i = Int(v);
            return i < names.Length ? names[i] : v;
        }
        var items = field.Split(',').Select(item =>
        {
            var range = item.Split('-');
            if (range.Length == 2) return $"{Name(range[0])} through {Name(range[1])}";
            if (item.StartsWith("*/", StringComparison.Ordinal)) return $"every {item.Substring(2)}";
            return Name(item);
        }).ToList();
        return items.Count <= 2 && names is null ? string.Join(" and ", items) : string.Join(", ", items);
    }

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s.Substring(1).ToLowerInvariant();
}
