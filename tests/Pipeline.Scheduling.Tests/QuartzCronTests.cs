using Pipeline.Core.Scheduling;
using Pipeline.Scheduling.Cron;

namespace Pipeline.Scheduling.Tests;

/// <summary>
/// The conversion to Quartz is proved, not assumed: for each expression, the next 50 fire times
/// Quartz computes from the converted form equal those Cronos computes from the original, in several
/// time zones, from starting points that cross daylight-saving changes.
/// </summary>
public sealed class QuartzCronTests
{
    private static readonly string[] Minutes = ["0", "*/15", "5,35", "0-10/5", "59", "*"];
    private static readonly string[] Hours = ["0", "2", "*/6", "9-17", "1,13", "*"];
    private static readonly string[] Days = ["*", "1", "15", "L", "1-7", "*/10", "LW", "15W", "31"];
    private static readonly string[] Months = ["*", "1", "*/3", "JAN,JUL", "2", "6-8"];
    private static readonly string[] Weekdays = ["*", "0", "1-5", "MON-FRI", "6,0", "SUN", "5-7", "*/2", "2/3", "FRI#2", "5L", "7", "MON,WED,FRI", "0-7"];

    /// <summary>A few hundred expressions: every field's shapes, crossed without exploding.</summary>
    public static IEnumerable<string> Expressions()
    {
        var list = new List<string> { "@yearly", "@monthly", "@weekly", "@daily", "@hourly", "@every_minute", "0 2 * * *", "30 1 * * 1-5" };
        var i = 0;
        foreach (var dow in Weekdays)
            foreach (var dom in Days)
            {
                list.Add($"{Minutes[i % Minutes.Length]} {Hours[(i / 2) % Hours.Length]} {dom} {Months[(i / 3) % Months.Length]} {dow}");
                i++;
            }
        foreach (var m in Minutes)
            foreach (var h in Hours)
                list.Add($"{m} {h} * * *");
        // six fields, seconds first
        foreach (var s in new[] { "0", "*/5", "30", "0,20,40", "10-50/20" })
            foreach (var dow in new[] { "*", "1-5", "0" })
                list.Add($"{s} */2 * * * {dow}");
        return list;
    }

    private static readonly string[] Zones = ["UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kolkata"];

    /// <summary>Just before the spring and autumn changes in both hemispheres, and a plain day.</summary>
    private static readonly DateTimeOffset[] Starts =
    [
        new(2026, 3, 7, 12, 0, 0, TimeSpan.Zero), new(2026, 3, 28, 12, 0, 0, TimeSpan.Zero),
        new(2026, 10, 24, 12, 0, 0, TimeSpan.Zero), new(2026, 10, 31, 12, 0, 0, TimeSpan.Zero),
        new(2026, 4, 4, 12, 0, 0, TimeSpan.Zero), new(2026, 7, 15, 8, 30, 0, TimeSpan.Zero),
    ];

    public static TheoryData<string> Cases => new(Expressions());

    [Theory]
    [MemberData(nameof(Cases))]
    public void Quartz_fires_when_Cronos_does(string cron)
    {
        var cronos = CronSchedule.TryParse(cron, out var error);
        if (cronos is null) return; // not valid cron (e.g. 31 in February only): the validator refuses it before any conversion
        var f = CronFields.Parse(cron);
        if (!CronFields.IsAny(f.DayOfMonth) && !CronFields.IsAny(f.DayOfWeek) && !QuartzCron.EveryDay(f.DayOfWeek))
        {
            // Both day fields restricted: Cronos runs on days matching both, Quartz on days matching either. Refused, with the reason.
            var refused = Assert.Throws<CronConversionException>(() => QuartzCron.Convert(cron));
            Assert.Contains("day of the month", refused.Message);
            return;
        }
        var quartzText = QuartzCron.Convert(cron);
        foreach (var zoneId in Zones)
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
            var quartz = new Quartz.CronExpression(quartzText, zone);
            foreach (var start in Starts)
            {
                var expected = CronSchedule.Next(cronos, start, zone, 50);
                var actual = new List<DateTimeOffset>();
                var cursor = start;
                for (var i = 0; i < expected.Count; i++)
                {
                    if (quartz.GetNextValidTimeAfter(cursor) is not { } next) break;
                    actual.Add(next);
                    cursor = next;
                }
                Assert.True(expected.SequenceEqual(actual),
                    $"{cron} → {quartzText} in {zoneId} from {start:u}: first difference at {FirstDifference(expected, actual)}");
            }
        }
    }

    [Fact]
    public void There_are_a_few_hundred_expressions_and_week_days_become_names()
    {
        Assert.True(Expressions().Count() >= 180, $"{Expressions().Count()}");
        Assert.Equal("0 30 1 ? * MON,TUE,WED,THU,FRI", QuartzCron.Convert("30 1 * * 1-5"));
        Assert.Equal("0 0 2 * * ?", QuartzCron.Convert("0 2 * * *"));
        Assert.Equal("0 0 0 ? * SUN", QuartzCron.Convert("@weekly"));
        Assert.Equal("0 0 0 ? * 6L", QuartzCron.Convert("0 0 * * 5L"));
        Assert.Throws<CronConversionException>(() => QuartzCron.Convert("0 0 1 * MON"));
        Assert.Equal("0 0 0 1-7 2 ?", QuartzCron.Convert("0 0 1-7 2 0-7")); // all seven days restrict nothing
    }

    private static string FirstDifference(IReadOnlyList<DateTimeOffset> expected, IReadOnlyList<DateTimeOffset> actual)
    {
        for (var i = 0; i < Math.Max(expected.Count, actual.Count); i++)
        {
            var e = i < expected.Count ? expected[i].ToString("u") : "none";
            var a = i < actual.Count ? actual[i].ToString("u") : "none";
            if (e != a) return $"#{i}: Cronos {e}, Quartz {a}";
        }
        return "none";
    }
}
