using System;
using System.Globalization;
using System.Text;

namespace Pipeline.Core.Taskfile.Templates;

/// <summary>
/// Go's time layouts for sprig's <c>date</c> (<c>{{now | date "2006-01-02"}}</c>): the reference time
/// Mon Jan 2 15:04:05 MST 2006 written the way the result should look.
/// </summary>
internal static class GoTime
{
    // longest tokens first, so "2006" is not read as "2" + "006"
    private static readonly (string Token, Func<DateTimeOffset, string> Format)[] Tokens =
    {
        ("January", t => t.ToString("MMMM", CultureInfo.InvariantCulture)),
        ("Monday", t => t.ToString("dddd", CultureInfo.InvariantCulture)),
        ("Z07:00", t => t.Offset == TimeSpan.Zero ? "Z" : t.ToString("zzz", CultureInfo.InvariantCulture)),
        ("-07:00", t => t.ToString("zzz", CultureInfo.InvariantCulture)),
        ("-0700", t => t.ToString("zzz", CultureInfo.InvariantCulture).Replace(":", "")),
        ("2006", t => t.Year.ToString("0000", CultureInfo.InvariantCulture)),
        (".000", t => "." + t.Millisecond.ToString("000", CultureInfo.InvariantCulture)),
        ("Jan", t => t.ToString("MMM", CultureInfo.InvariantCulture)),
        ("Mon", t => t.ToString("ddd", CultureInfo.InvariantCulture)),
        ("MST", t => t.Offset == TimeSpan.Zero ? "UTC" : t.ToString("zzz", CultureInfo.InvariantCulture)),
        ("_2", t => t.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2)),
        ("01", t => t.Month.ToString("00", CultureInfo.InvariantCulture)),
        ("02", t => t.Day.ToString("00", CultureInfo.InvariantCulture)),
        ("03", t => ((t.Hour + 11) % 12 + 1).ToString("00", CultureInfo.InvariantCulture)),
        ("04", t => t.Minute.ToString("00", CultureInfo.InvariantCulture)),
        ("05", t => t.Second.ToString("00", CultureInfo.InvariantCulture)),
        ("06", t => (t.Year % 100).ToString("00", CultureInfo.InvariantCulture)),
        ("15", t => t.Hour.ToString("00", CultureInfo.InvariantCulture)),
        ("PM", t => t.Hour < 12 ? "AM" : "PM"),
        ("pm", t => t.Hour < 12 ? "am" : "pm"),
        ("1", t => t.Month.ToString(CultureInfo.InvariantCulture)),
        ("2", t => t.Day.ToString(CultureInfo.InvariantCulture)),
        ("3", t => ((t.Hour + 11) % 12 + 1).ToString(CultureInfo.InvariantCulture)),
        ("4", t => t.Minute.ToString(CultureInfo.InvariantCulture)),
        ("5", t => t.Second.ToString(CultureInfo.InvariantCulture)),
    };

    public static string Format(DateTimeOffset time, string layout)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < layout.Length;)
        {
            var matched = false;
            foreach (var (token, format) in Tokens)
            {
                if (string.CompareOrdinal(layout, i, token, 0, token.Length) != 0) continue;
                sb.Append(format(time));
                i += token.Length;
                matched = true;
                break;
            }
            if (!matched) sb.Append(layout[i++]);
        }
        return sb.ToString();
    }

    /// <summary>How Go prints a time with %v.</summary>
    public static string Print(DateTimeOffset time) => Format(time, "2006-01-02 15:04:05.000 -0700 MST");

    public static DateTimeOffset ToTime(object? value) => value switch
    {
        DateTimeOffset d => d,
        long seconds => DateTimeOffset.FromUnixTimeSeconds(seconds).ToLocalTime(),
        string s when DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) => parsed,
        _ => DateTimeOffset.Now,
    };
}
