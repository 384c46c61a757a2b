using System.Globalization;
using System.Text.RegularExpressions;

namespace Pipeline.Engine.Taskfile;

/// <summary>Go's time.ParseDuration, which Taskfile timeouts use: <c>300ms</c>, <c>30s</c>, <c>5m</c>, <c>1h30m</c>.</summary>
public static partial class GoDuration
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var s = text.Trim();
        if (s.Length == 0) return false;
        if (s == "0") return true;
        var matches = Part().Matches(s);
        if (matches.Sum(m => m.Length) != s.Length || matches.Count == 0) return false;
        double ticks = 0;
        foreach (Match m in matches)
        {
            var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            ticks += m.Groups[2].Value switch
            {
                "ns" => value / 100,
                "us" or "µs" => value * 10,
                "ms" => value * TimeSpan.TicksPerMillisecond,
                "s" => value * TimeSpan.TicksPerSecond,
                "m" => value * TimeSpan.TicksPerMinute,
                _ => value * TimeSpan.TicksPerHour,
            };
        }
        duration = TimeSpan.FromTicks((long)ticks);
        return true;
    }

    /// <summary>How Go prints a duration: <c>5m0s</c>, <c>1h30m0s</c>, <c>500ms</c>.</summary>
    public static string Format(TimeSpan d)
    {
        if (d < TimeSpan.FromSeconds(1)) return d.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";
        var text = "";
        if (d.TotalHours >= 1) text += (int)d.TotalHours + "h";
        if (d.TotalMinutes >= 1) text += d.Minutes + "m";
        var seconds = d.Seconds + d.Milliseconds / 1000.0;
        return text + seconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
    }

    [GeneratedRegex(@"([0-9]*\.?[0-9]+)(ns|us|µs|ms|s|m|h)")]
    private static partial Regex Part();
}
