using Pipeline.Core.Model;
using Pipeline.Scheduling.Cron;

namespace Pipeline.Server.Schedules;

/// <summary>
/// A schedule trigger as the scheduler keeps it: its key (the workflow and the trigger's index), the
/// expression in Quartz's form, its zone, misfire policy and jitter. <see cref="Signature"/> says
/// whether a stored trigger is still this one: a restart leaves an unchanged trigger (and its next
/// fire time) alone, which is what keeps a firing from being lost or doubled across restarts.
/// </summary>
public sealed record ScheduleEntry(string Workflow, int TriggerIndex, string Cron, string QuartzCron, TimeZoneInfo TimeZone, MisfirePolicy Misfire, int JitterMs)
{
    public string Key => $"{Workflow}#{TriggerIndex}";

    public string Signature => $"{QuartzCron}|{TimeZone.Id}|{Misfire}|{JitterMs}";

    /// <summary>The schedule triggers of a workflow; one that cannot be run as written is reported and left out.</summary>
    public static IEnumerable<ScheduleEntry> Of(WorkflowDefinition workflow, Action<string> report)
    {
        var index = 0;
        foreach (var trigger in workflow.Triggers)
        {
            var i = index++;
            if (trigger is not ScheduleTrigger schedule) continue;
            string quartz;
            TimeZoneInfo zone;
            try
            {
                quartz = Pipeline.Scheduling.Cron.QuartzCron.Convert(schedule.Schedule.Value);
                zone = schedule.Timezone is { } tz ? TimeZoneInfo.FindSystemTimeZoneById(tz.Value) : TimeZoneInfo.Local; // as cron and systemd read it
            }
            catch (CronConversionException e)
            {
                var at = schedule.Schedule.Span;
                report($"{at.Path}({at.Line},{at.Column}): error WF1023: {e.Message}; workflow serve does not run this schedule");
                report($"    hint: {e.Hint}");
                continue;
            }
            catch (TimeZoneNotFoundException)
            {
                var at = schedule.Timezone!.Span;
                report($"{at.Path}({at.Line},{at.Column}): error WF1026: this machine has no time zone \"{schedule.Timezone.Value}\"; workflow serve does not run this schedule");
                report("    hint: install the tzdata package, or use an IANA name this machine knows (timedatectl list-timezones)");
                continue;
            }
            yield return new ScheduleEntry(workflow.Name.Value, i, schedule.Schedule.Value, quartz, zone, schedule.Misfire, schedule.JitterMs);
        }
    }
}
