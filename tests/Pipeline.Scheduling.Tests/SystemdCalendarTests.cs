using System.Diagnostics;
using System.Globalization;
using Pipeline.Core.Scheduling;
using Pipeline.Scheduling.Cron;
using Pipeline.Scheduling.Targets;

namespace Pipeline.Scheduling.Tests;

/// <summary>
/// The OnCalendar= form is checked by systemd itself: `systemd-analyze calendar` lists the next 20
/// elapses from a fixed base time, and they must equal what Cronos computes from the cron expression.
/// </summary>
public sealed class SystemdCalendarTests
{
    public static TheoryData<string, string?> Cases => new()
    {
        { "0 2 * * *", null },
        { "30 1 * * 1-5", null },
        { "*/15 * * * *", null },
        { "0 */6 * * *", null },
        { "5,35 9-17 * * MON-FRI", null },
        { "0 0 1 * *", null },
        { "0 0 L * *", null },
        { "0 0 * * 0", null },
        { "0 0 * * 7", null },
        { "0 12 1 JAN,JUL *", null },
        { "0 3 */10 */3 *", null },
        { "0 0 13 * FRI", null }, // both day fields: Friday the 13th, as in our schedules
        { "*/20 * * * * *", null },
        { "0 0 9 * * 1-5", "Europe/Berlin" },
        { "0 30 12 * * *", "America/New_York" },
        { "@daily", null },
        { "@weekly", null },
        { "@monthly", null },
        { "0 0 5-7 * *", null },
        { "0 22 * * 5-7", null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Systemd_elapses_when_Cronos_fires(string cron, string? timezone)
    {
        var calendar = SystemdCalendar.Convert(cron, timezone);
        var zone = timezone is null ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(timezone);
        var start = new DateTimeOffset(2026, 7, 15, 8, 30, 17, TimeSpan.Zero); // no clock change within the 20 elapses of these
        var expected = CronSchedule.Next(CronSchedule.TryParse(cron, out _)!, start, zone, 20);
        Assert.Equal(expected, Elapses(calendar, start, 20));
    }

    [Theory]
    [InlineData("0 0 15W * *", "day-of-month")]
    [InlineData("0 0 * * FRI#2", "day-of-week")]
    [InlineData("0 0 * * 5L", "day-of-week")]
    public void What_systemd_cannot_express_is_refused_with_the_field(string cron, string field)
    {
        var e = Assert.Throws<CronConversionException>(() => SystemdCalendar.Convert(cron));
        Assert.Contains(field, e.Message);
    }

    /// <summary>The next elapses systemd computes for <paramref name="calendar"/> after <paramref name="from"/>, in UTC.</summary>
    internal static List<DateTimeOffset> Elapses(string calendar, DateTimeOffset from, int count)
    {
        var psi = new ProcessStartInfo("systemd-analyze") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "calendar", $"--iterations={count}", $"--base-time={from.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC", calendar }) psi.ArgumentList.Add(a);
        psi.Environment["TZ"] = "UTC";
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"systemd-analyze refused \"{calendar}\":\n{output}");
        return output.Split('\n')
            .Where(l => l.Contains("Next elapse:") || l.Contains("Iter. #"))
            .Select(l => l[(l.IndexOf(':') + 1)..].Trim()) // "Mon 2026-03-09 06:30:00 UTC"
            .Select(t => DateTimeOffset.ParseExact(t[4..^4], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal))
            .ToList();
    }
}
