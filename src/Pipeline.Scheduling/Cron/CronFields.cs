namespace Pipeline.Scheduling.Cron;

/// <summary>
/// A cron expression as users write it, split into its six fields (seconds first; "0" when the
/// expression has five) with the @macros expanded. The common ground of every conversion.
/// </summary>
public sealed record CronFields(string Seconds, string Minutes, string Hours, string DayOfMonth, string Month, string DayOfWeek)
{
    private static readonly Dictionary<string, string> Macros = new(StringComparer.OrdinalIgnoreCase)
    {
        ["@yearly"] = "0 0 0 1 1 *",
        ["@annually"] = "0 0 0 1 1 *",
        ["@monthly"] = "0 0 0 1 * *",
        ["@weekly"] = "0 0 0 * * 0",
        ["@daily"] = "0 0 0 * * *",
        ["@midnight"] = "0 0 0 * * *",
        ["@hourly"] = "0 0 * * * *",
        ["@every_minute"] = "0 * * * * *",
        ["@every_second"] = "* * * * * *",
    };

    /// <summary>The fields of <paramref name="cron"/>, which must already be valid (Core's CronSchedule checks it).</summary>
    /// <exception cref="FormatException">Not 5 or 6 fields, nor a known macro.</exception>
    public static CronFields Parse(string cron)
    {
        var text = cron.Trim();
        if (text.StartsWith('@'))
            text = Macros.TryGetValue(text, out var expanded) ? expanded : throw new FormatException($"unknown cron macro {text}");
        var f = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return f.Length switch
        {
            5 => new CronFields("0", f[0], f[1], f[2], f[3], f[4]),
            6 => new CronFields(f[0], f[1], f[2], f[3], f[4], f[5]),
            _ => throw new FormatException($"a cron expression has 5 or 6 fields, not {f.Length}"),
        };
    }

    /// <summary>A field that restricts nothing.</summary>
    public static bool IsAny(string field) => field is "*" or "?";
}
