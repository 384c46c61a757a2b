using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Pipeline.Core.Scheduling;
using Pipeline.Scheduling.Cron;
using Pipeline.Scheduling.Targets;

namespace Pipeline.Scheduling.Tests;

/// <summary>
/// Task Scheduler XML is checked by reading it back as Task Scheduler reads a CalendarTrigger (the
/// start's time of day, the days its ScheduleBy* element names, the Repetition within the day) and
/// comparing 60 days of firings with Cronos's.
/// </summary>
public sealed class WindowsTaskTests
{
    public static TheoryData<string, string?> Exact => new()
    {
        { "0 2 * * *", null }, { "30 1 * * 1-5", null }, { "*/15 9-17 * * *", null }, { "*/15 * * * *", null },
        { "0 */6 * * *", null }, { "0 0 L * *", null }, { "0 12 1,15 * *", null }, { "0 3 1 JAN,JUL *", null },
        { "0 8 * 6-8 *", null }, { "5,35 9-17 * * MON-FRI", null }, { "*/20 * * * *", null }, { "0 0 * * 0", null },
        { "@daily", null }, { "@weekly", null }, { "@monthly", null }, { "0 6 * * *", "UTC" }, { "15 0 9 * * *", null },
    };

    [Theory]
    [MemberData(nameof(Exact))]
    public void Task_Scheduler_fires_when_Cronos_does(string cron, string? timezone)
    {
        var triggers = WindowsTask.Triggers(cron, timezone);
        var from = new DateTime(2026, 7, 1, 0, 0, 0, DateTimeKind.Utc);
        var to = from.AddDays(60);
        var expected = CronSchedule.Next(CronSchedule.TryParse(cron, out _)!, from.AddSeconds(-1), TimeZoneInfo.Utc, 100_000) // from itself included, as below
            .Select(t => t.UtcDateTime).Where(t => t < to).ToList();
        var actual = triggers.SelectMany(t => Firings(t, from, to)).Distinct().Order().ToList();
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("0 0 13 * 5", "both")]
    [InlineData("0 0 * * 5L", "weeks of the month")]
    [InlineData("0 0 * * FRI#2", "weeks of the month")]
    [InlineData("0 0 * 6 1", "some months only")]
    [InlineData("*/7 * * * *", "no repetition")]
    [InlineData("0 0 15W * *", "no Task Scheduler equivalent")]
    [InlineData("*/20 * * * * *", "more than one second")]
    public void What_Task_Scheduler_cannot_express_is_refused(string cron, string reason)
    {
        var e = Assert.Throws<CronConversionException>(() => WindowsTask.Triggers(cron));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void A_zone_with_daylight_saving_is_refused_and_the_task_document_has_the_schema_s_shape()
    {
        Assert.Throws<CronConversionException>(() => WindowsTask.Triggers("0 9 * * *", "Europe/Berlin"));
        var command = new ScheduledCommand("nightly", "/w/nightly.workflow.json", "/w", "/w/.workflow", ["/usr/bin/dotnet", "/tools/workflow.dll"]);
        var xml = WindowsTask.Task(command, [("30 2 * * 1-5", null)]);
        var ns = WindowsTask.Ns;
        Assert.Equal("Task", xml.Root!.Name.LocalName);
        Assert.Equal("1.2", xml.Root.Attribute("version")!.Value);
        Assert.Equal(["RegistrationInfo", "Triggers", "Settings", "Actions"], xml.Root.Elements().Select(e => e.Name.LocalName));
        var exec = xml.Root.Element(ns + "Actions")!.Element(ns + "Exec")!;
        Assert.Equal("/usr/bin/dotnet", exec.Element(ns + "Command")!.Value);
        Assert.StartsWith("/tools/workflow.dll run /w/nightly.workflow.json --trigger schedule", exec.Element(ns + "Arguments")!.Value);
        Assert.Equal(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
            xml.Descendants(ns + "DaysOfWeek").Single().Elements().Select(e => e.Name.LocalName));
    }

    /// <summary>When one CalendarTrigger fires between two instants (UTC), as Task Scheduler reads it.</summary>
    private static IEnumerable<DateTime> Firings(XElement trigger, DateTime from, DateTime to)
    {
        var ns = WindowsTask.Ns;
        var start = DateTime.Parse(trigger.Element(ns + "StartBoundary")!.Value.TrimEnd('Z'), CultureInfo.InvariantCulture);
        var repetition = trigger.Element(ns + "Repetition");
        var every = repetition is null ? (TimeSpan?)null : XmlConvert.ToTimeSpan(repetition.Element(ns + "Interval")!.Value);
        var length = repetition is null ? TimeSpan.Zero : XmlConvert.ToTimeSpan(repetition.Element(ns + "Duration")!.Value);
        for (var day = from.Date; day < to; day = day.AddDays(1))
        {
            if (!Matches(trigger, day)) continue;
            var first = day + start.TimeOfDay;
            if (every is null) { if (first >= from && first < to) yield return first; continue; }
            for (var t = first; t < first + length; t += every.Value)
                if (t >= from && t < to) yield return t;
        }
    }

    private static bool Matches(XElement trigger, DateTime day)
    {
        var ns = WindowsTask.Ns;
        if (trigger.Element(ns + "ScheduleByDay") is not null) return true;
        if (trigger.Element(ns + "ScheduleByWeek") is { } week)
            return week.Element(ns + "DaysOfWeek")!.Elements().Any(e => e.Name.LocalName == day.DayOfWeek.ToString());
        var month = trigger.Element(ns + "ScheduleByMonth")!;
        var inMonth = month.Element(ns + "Months")!.Elements().Any(e => e.Name.LocalName == CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(day.Month));
        var last = DateTime.DaysInMonth(day.Year, day.Month);
        var onDay = month.Element(ns + "DaysOfMonth")!.Elements().Any(e => e.Value == "Last" ? day.Day == last : int.Parse(e.Value, CultureInfo.InvariantCulture) == day.Day);
        return inMonth && onDay;
    }
}
