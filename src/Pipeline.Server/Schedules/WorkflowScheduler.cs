using Pipeline.Core.Model;
using Quartz;

namespace Pipeline.Server.Schedules;

/// <summary>Where the scheduler keeps its schedule: Quartz's tables in the state store's own database.</summary>
public sealed record ScheduleStore(bool Postgres, string ConnectionString);

/// <summary>
/// The schedule triggers of the served workflows, run by Quartz.NET with its persistent ADO job store
/// in the state store's database (SQLite file or PostgreSQL; the tables are created on first start).
/// Each trigger is one Quartz cron trigger keyed by workflow and index. <see cref="ApplyAsync"/>
/// brings Quartz in line with the workflows: new triggers are added, removed ones deleted, changed
/// ones replaced, and unchanged ones left exactly as stored, so a restart keeps their next fire time:
/// a firing due while the server was down is then run late if it is less than
/// <see cref="MisfireThreshold"/> late (a restart), or else follows the trigger's misfire policy
/// (<c>skip</c>: Quartz's "do nothing", <c>run_once</c>: "fire once now").
/// </summary>
public sealed class WorkflowScheduler : IAsyncDisposable
{
    private const string Group = "pipeline";

    /// <summary>How late a firing may be and still run as scheduled; later than this is a misfire.</summary>
    public static readonly TimeSpan MisfireThreshold = TimeSpan.FromMinutes(1);

    private readonly IScheduler _quartz;
    private readonly Lock _applying = new();

    private WorkflowScheduler(IScheduler quartz) => _quartz = quartz;

    public static async Task<WorkflowScheduler> StartAsync(ScheduleStore store, IScheduleSink sink, TimeProvider clock, string name = "pipeline", CancellationToken cancellationToken = default)
    {
        var quartz = await QuartzSchedulerBuilder.Create(q =>
        {
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = name;
                o.IdleWaitTime = TimeSpan.FromSeconds(5);
            });
            q.UseTimeProvider(clock);
            q.UseDefaultThreadPool(64);
            q.UsePersistentStore(s =>
            {
                // The driver's factory itself, not its name: Quartz would look the types up by name, which a
                // trimmed or natively compiled tool cannot promise to have kept.
                if (store.Postgres) s.UsePostgres(Npgsql.NpgsqlFactory.Instance, store.ConnectionString);
                else s.UseSqlite(Microsoft.Data.Sqlite.SqliteFactory.Instance, store.ConnectionString);
                s.UseSystemTextJsonSerializer();
                s.ProvisionSchema();
                s.ConfigureStore(o =>
                {
                    o.MisfireThreshold = MisfireThreshold;
                    o.StoreJobDataAsStrings = true;
                });
            });
        }).BuildScheduler(cancellationToken).ConfigureAwait(false);
        quartz.Context[FireWorkflowJob.SinkKey] = sink;
        await quartz.Start(cancellationToken).ConfigureAwait(false);
        return new WorkflowScheduler(quartz);
    }

    /// <summary>Makes the stored triggers exactly <paramref name="entries"/>; returns what changed, for the log.</summary>
    public async Task<ScheduleChanges> ApplyAsync(IReadOnlyCollection<ScheduleEntry> entries, CancellationToken cancellationToken = default)
    {
        var wanted = entries.ToDictionary(e => e.Key, StringComparer.Ordinal);
        var stored = await _quartz.GetTriggerKeys(GroupMatcher<TriggerKey>.GroupEquals(Group), cancellationToken).ConfigureAwait(false);
        int added = 0, replaced = 0, removed = 0, kept = 0;
        foreach (var key in stored)
        {
            if (wanted.ContainsKey(key.Name)) continue;
            await _quartz.DeleteJob(new JobKey(key.Name, Group), cancellationToken).ConfigureAwait(false);
            removed++;
        }
        foreach (var entry in entries)
        {
            var key = new TriggerKey(entry.Key, Group);
            var existing = await _quartz.GetTrigger(key, cancellationToken).ConfigureAwait(false);
            if (existing is not null && existing.JobDataMap.GetString(FireWorkflowJob.SignatureKey) == entry.Signature)
            {
                kept++;
                continue;
            }
            var job = JobBuilder.Create<FireWorkflowJob>().WithIdentity(entry.Key, Group).Build();
            var trigger = TriggerBuilder.Create(_quartz.TimeProvider)
                .WithIdentity(key)
                .ForJob(job)
                .UsingJobData(FireWorkflowJob.WorkflowKey, entry.Workflow)
                .UsingJobData(FireWorkflowJob.IndexKey, entry.TriggerIndex.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .UsingJobData(FireWorkflowJob.CronKey, entry.Cron)
                .UsingJobData(FireWorkflowJob.SignatureKey, entry.Signature)
                .UsingJobData(FireWorkflowJob.JitterKey, entry.JitterMs.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .WithCronSchedule(entry.QuartzCron, c =>
                {
                    c.InTimeZone(entry.TimeZone);
                    c.WithMisfireInstruction(entry.Misfire == MisfirePolicy.RunOnce ? CronTriggerMisfireInstruction.FireAndProceed : CronTriggerMisfireInstruction.DoNothing);
                })
                .Build();
            await _quartz.ScheduleJob(job, [trigger], new ScheduleJobOptions { Replace = true }, cancellationToken).ConfigureAwait(false);
            if (existing is null) added++; else replaced++;
        }
        return new ScheduleChanges(added, replaced, removed, kept);
    }

    /// <summary>The next fire time of each stored trigger, by key (workflow#index).</summary>
    public async Task<IReadOnlyDictionary<string, DateTimeOffset?>> NextFireTimesAsync(CancellationToken cancellationToken = default)
    {
        var result = new Dictionary<string, DateTimeOffset?>(StringComparer.Ordinal);
        foreach (var key in await _quartz.GetTriggerKeys(GroupMatcher<TriggerKey>.GroupEquals(Group), cancellationToken).ConfigureAwait(false))
            result[key.Name] = (await _quartz.GetTrigger(key, cancellationToken).ConfigureAwait(false))?.NextFireTimeUtc;
        return result;
    }

    /// <summary>Stops firing; firings in flight finish handing their runs over.</summary>
    public async ValueTask DisposeAsync()
    {
        await _quartz.Shutdown(waitForJobsToComplete: true).ConfigureAwait(false);
    }
}

/// <summary>What <see cref="WorkflowScheduler.ApplyAsync"/> changed.</summary>
public sealed record ScheduleChanges(int Added, int Replaced, int Removed, int Kept);
