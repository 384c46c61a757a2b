using System.Globalization;

namespace Pipeline.Scheduling.Cron;

/// <summary>
/// One numeric cron field as the set of values it names: <c>*</c>, <c>n</c>, <c>a-b</c>, any of them
/// with <c>/step</c>, lists of those, and month or week-day names. For the targets that need explicit
/// values (systemd, Windows); <c>L</c>, <c>W</c> and <c>#</c> are not plain values and are refused there.
/// </summary>
internal static class CronField
{
    private static readonly string[] Months = ["", "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] Days = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    /// <summary>The values, sorted; null when the field has L, W, # or ? (not plain values).</summary>
    public static SortedSet<int>? Values(string field, int min, int max, bool weekDays = false, bool months = false)
    {
        var set = new SortedSet<int>();
        foreach (var raw in field.ToUpperInvariant().Split(','))
        {
            // Names become numbers first, so a letter left over (L, W) or a # or ? marks a special item.
            var item = System.Text.RegularExpressions.Regex.Replace(raw, "[A-Z]{3}", m =>
                weekDays && Array.IndexOf(Days, m.Value) is var d && d >= 0 ? d.ToString(CultureInfo.InvariantCulture)
                : months && Array.IndexOf(Months, m.Value) is var mo && mo > 0 ? mo.ToString(CultureInfo.InvariantCulture)
                : m.Value);
            if (item.Any(c => char.IsLetter(c) || c is '#' or '?')) return null;
            var slash = item.IndexOf('/');
            var range = slash < 0 ? item : item[..slash];
            var step = slash < 0 ? 1 : int.Parse(item[(slash + 1)..], CultureInfo.InvariantCulture);
            int from, to;
            if (range == "*") (from, to) = (min, max);
            else if (range.Contains('-'))
            {
                var p = range.Split('-');
                from = Value(p[0], weekDays);
                to = Value(p[1], weekDays, end: true);
            }
            else { from = Value(range, weekDays); to = slash < 0 ? from : max; }
            for (var v = from; v <= to; v += step) set.Add(weekDays ? v % 7 : v);
        }
        return set;
    }

    private static int Value(string text, bool weekDays, bool end = false)
    {
        var n = int.Parse(text, CultureInfo.InvariantCulture);
        return weekDays && n == 7 && !end ? 0 : n; // 7 is Sunday; at the end of a range (5-7) it closes the week
    }

    /// <summary>Whether the field names every value of its range (a week-day list of all seven days restricts nothing).</summary>
    public static bool IsEvery(string field, int min, int max, bool weekDays = false, bool months = false) =>
        CronFields.IsAny(field) || Values(field, min, max, weekDays, months) is { } v && v.Count == (weekDays ? 7 : max - min + 1);
}
