using Quartz;

namespace Pipeline.Server.Schedules;

/// <summary>
/// The Quartz job behind every schedule trigger: hands the firing (the time the schedule called for
/// and the time it fired) to the scheduler's <see cref="IScheduleSink"/>. Its data are plain strings,
/// so what the job store keeps is readable and survives upgrades.
/// </summary>
internal sealed class FireWorkflowJob : IJob
{
    public const string SinkKey = "pipeline.sink";
    public const string WorkflowKey = "workflow";
    public const string IndexKey = "trigger";
    public const string CronKey = "cron";
    public const string SignatureKey = "signature";
    public const string JitterKey = "jitter_ms";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        // Put there by WorkflowScheduler.StartAsync before any trigger can fire.
        var sink = (IScheduleSink)context.Scheduler.Context[SinkKey]!;
        var data = context.MergedJobDataMap;
        var fired = context.FireTimeUtc;
        var firing = new ScheduleFiring(
            data.GetString(WorkflowKey)!,
            int.Parse(data.GetString(IndexKey)!, System.Globalization.CultureInfo.InvariantCulture),
            data.GetString(CronKey)!,
            (context.Trigger as ICronTrigger)?.TimeZone.Id,
            context.ScheduledFireTimeUtc ?? fired,
            fired,
            int.Parse(data.GetString(JitterKey) ?? "0", System.Globalization.CultureInfo.InvariantCulture));
        await sink.FireAsync(firing, cancellationToken).ConfigureAwait(false);
    }
}
