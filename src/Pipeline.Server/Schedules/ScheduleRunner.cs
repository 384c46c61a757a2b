using System.Globalization;
using System.Text.Json;
using Pipeline.Engine.Running;
using Pipeline.Server.Runs;

namespace Pipeline.Server.Schedules;

/// <summary>
/// Turns schedule firings into runs: waits out the trigger's jitter (a random delay up to it), then
/// asks for a run with the trigger <c>schedule</c>, the cron and the time the schedule called for in
/// <c>${trigger.schedule}</c> and <c>${trigger.scheduled_at}</c>, recorded with the run. The claim key
/// is the trigger and its fire time, so a firing delivered twice (a crash between firing and
/// recording, another server on the same PostgreSQL store) starts one run.
/// </summary>
public sealed class ScheduleRunner(IRunStarter starter, TimeProvider clock, Action<string> log) : IScheduleSink
{
    public async Task FireAsync(ScheduleFiring firing, CancellationToken cancellationToken)
    {
        if (firing.JitterMs > 0)
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(firing.JitterMs + 1)), clock, cancellationToken).ConfigureAwait(false);
        var request = new RunRequest(firing.Workflow, "schedule", new TriggerDetails { Schedule = firing.Cron, ScheduledAt = firing.ScheduledAt })
        {
            ClaimKey = firing.ClaimKey,
            TriggerData = Pipeline.Engine.Json.PipelineJson.Serialize(new Dictionary<string, object?>
            {
                ["schedule"] = firing.Cron,
                ["timezone"] = firing.TimeZone,
                ["scheduled_at"] = Iso(firing.ScheduledAt),
                ["fired_at"] = Iso(firing.FiredAt),
            }),
        };
        try
        {
            var run = await starter.StartAsync(request, cancellationToken).ConfigureAwait(false);
            log(run.Replayed
                ? $"schedule: {firing.Workflow} at {Iso(firing.ScheduledAt)} already ran as {run.ExecutionId}; not started again"
                : $"schedule: {firing.Workflow} ({firing.Cron}) due {Iso(firing.ScheduledAt)} started {run.ExecutionId}");
        }
        catch (RunRefusedException e)
        {
            log($"schedule: {firing.Workflow} due {Iso(firing.ScheduledAt)} not started: {e.Message}");
        }
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
