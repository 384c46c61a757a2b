using Pipeline.Core.Model;
using Pipeline.Server.Schedules;

namespace Pipeline.Server.Tests;

/// <summary>The scheduler's job store in a SQLite file, as `workflow serve` keeps it beside state.db.</summary>
public sealed class SqliteSchedulerTests : WorkflowSchedulerTests
{
    protected override ScheduleStore Store => new(false, $"Data Source={Path.Combine(Folder, "state.db")}");
}

/// <summary>The scheduler's job store in PostgreSQL (a schema of its own on the test server).</summary>
public sealed class PostgresSchedulerTests : WorkflowSchedulerTests
{
    private readonly Pipeline.Testing.PostgresTestSchema _schema = new();

    protected override ScheduleStore Store => new(true, _schema.ConnectionString);

    public override void Dispose()
    {
        base.Dispose();
        _schema.Dispose();
    }
}

/// <summary>
/// The scheduler of `workflow serve` on Quartz.NET with its ADO job store in a real database, driven
/// by an injected clock (no sleeps): firings, restarts across a fire time, misfire policies, and the
/// wall clock jumping forward and back.
/// </summary>
public abstract class WorkflowSchedulerTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 10, 0, 5, TimeSpan.Zero);
    protected string Folder { get; } = Directory.CreateTempSubdirectory("pipeline-scheduler-").FullName;

    protected abstract ScheduleStore Store { get; }
    private readonly JumpingClock _clock = new(Start);
    private readonly RecordingSink _sink = new();
    private readonly string _name = $"test-{Guid.NewGuid():N}"; // one per test: Quartz names must be unique in a process, and stay the same across a restart

    public virtual void Dispose()
    {
        Directory.Delete(Folder, recursive: true);
        GC.SuppressFinalize(this);
    }

    private Task<WorkflowScheduler> StartAsync() => WorkflowScheduler.StartAsync(Store, _sink, _clock, name: _name);

    /// <summary>Lets fake seconds pass, one at a time, until <paramref name="count"/> firings arrived (or fails after <paramref name="most"/>).</summary>
    private async Task TickUntil(int count, int most = 180)
    {
        for (var i = 0; i < most && _sink.Firings.Count < count; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            for (var spin = 0; spin < 5 && _sink.Firings.Count < count; spin++) await Task.Delay(10);
        }
        await _sink.WaitForAsync(count, TimeSpan.FromSeconds(10));
    }

    private async Task Tick(int seconds)
    {
        for (var i = 0; i < seconds; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20); // lets the scheduler's loop run between ticks of the fake clock
        }
    }

    [Fact]
    public async Task A_schedule_fires_at_its_times_in_order()
    {
        await using var scheduler = await StartAsync();
        var changes = await scheduler.ApplyAsync([Schedules.Every10Seconds()]);
        Assert.Equal(1, changes.Added);
        Assert.Equal(Start.AddSeconds(5), (await scheduler.NextFireTimesAsync())["tick#0"]);
        await Tick(6);
        await _sink.WaitForAsync(1);
        await Tick(10);
        await _sink.WaitForAsync(2);
        Assert.Equal([Start.AddSeconds(5), Start.AddSeconds(15)], _sink.Firings.Select(f => f.ScheduledAt));
        Assert.Equal("schedule:tick#0@2026-11-30T10:00:10.000Z", _sink.Firings[0].ClaimKey);
    }

    [Fact]
    public async Task A_restart_across_a_fire_time_runs_that_firing_once_late_and_keeps_the_stored_trigger()
    {
        await using (var first = await StartAsync())
        {
            await first.ApplyAsync([Schedules.Every10Seconds()]);
            await Tick(6);
            await _sink.WaitForAsync(1);
        }
        // Down across 10:00:20, back at 10:00:27: less than the misfire threshold late.
        await Tick(16);
        await using var second = await StartAsync();
        var changes = await second.ApplyAsync([Schedules.Every10Seconds()]);
        Assert.Equal(new ScheduleChanges(0, 0, 0, 1), changes);
        await Tick(1);
        await _sink.WaitForAsync(2);
        await Tick(10);
        await _sink.WaitForAsync(3);
        Assert.Equal([Start.AddSeconds(5), Start.AddSeconds(15), Start.AddSeconds(25)], _sink.Firings.Select(f => f.ScheduledAt));
        Assert.True(_sink.Firings[1].FiredAt >= Start.AddSeconds(22), "the missed firing ran after the restart");
    }

    [Theory]
    [InlineData(MisfirePolicy.Skip)]
    [InlineData(MisfirePolicy.RunOnce)]
    public async Task After_a_long_downtime_missed_firings_follow_the_misfire_policy(MisfirePolicy policy)
    {
        await using (var first = await StartAsync())
        {
            await first.ApplyAsync([Schedules.Every10Seconds(misfire: policy)]);
            await Tick(6);
            await _sink.WaitForAsync(1);
        }
        _clock.Advance(TimeSpan.FromMinutes(10)); // down for ten minutes (nothing runs): 60 firings missed
        var back = _clock.GetUtcNow();
        await using var second = await StartAsync();
        await second.ApplyAsync([Schedules.Every10Seconds(misfire: policy)]);
        await Tick(20);
        var expected = policy == MisfirePolicy.RunOnce ? 3 : 2;
        await _sink.WaitForAsync(expected);
        var missed = _sink.Firings.Where(f => f.ScheduledAt > Start.AddSeconds(5) && f.ScheduledAt < back).ToList();
        if (policy == MisfirePolicy.Skip) Assert.Empty(missed);
        else
        {
            // One run for all of them, now, named after the first one missed.
            var once = Assert.Single(missed);
            Assert.Equal(Start.AddSeconds(15), once.ScheduledAt);
            Assert.True(once.FiredAt >= back);
        }
        Assert.Equal(Start.AddMinutes(10).AddSeconds(15), _sink.Firings.First(f => f.ScheduledAt >= back).ScheduledAt);
    }

    [Theory]
    [InlineData(MisfirePolicy.Skip)]
    [InlineData(MisfirePolicy.RunOnce)]
    public async Task A_clock_jumping_forward_skips_or_runs_once_by_the_misfire_policy_and_never_runs_a_skipped_hour(MisfirePolicy policy)
    {
        await using var scheduler = await StartAsync();
        await scheduler.ApplyAsync([Schedules.Every10Seconds(misfire: policy)]);
        await Tick(6);
        await _sink.WaitForAsync(1);
        _clock.Jump(TimeSpan.FromHours(1)); // 10:00:11 → 11:00:11
        var jumped = _clock.GetUtcNow();
        await TickUntil(policy == MisfirePolicy.RunOnce ? 3 : 2);
        var inTheGap = _sink.Firings.Where(f => f.ScheduledAt > Start.AddSeconds(5) && f.ScheduledAt < jumped).ToList();
        Assert.Equal(policy == MisfirePolicy.RunOnce ? 1 : 0, inTheGap.Count);
        var scheduled = _sink.Firings.Select(f => f.ScheduledAt).ToList();
        Assert.Equal(scheduled.Distinct().Count(), scheduled.Count);
        Assert.All(_sink.Firings.Where(f => f.ScheduledAt >= jumped), f => Assert.Equal(0, f.ScheduledAt.Second % 10));
    }

    [Fact]
    public async Task A_clock_jumping_back_neither_repeats_a_firing_nor_loses_the_next()
    {
        await using var scheduler = await StartAsync();
        await scheduler.ApplyAsync([Schedules.Every10Seconds()]);
        await Tick(16);
        await _sink.WaitForAsync(2); // 10:00:10 and 10:00:20
        _clock.Jump(TimeSpan.FromMinutes(-5)); // 10:00:21 → 09:55:21: the times from here to 10:00:20 already ran
        await Tick(60);
        Assert.Equal(2, _sink.Firings.Count);
        _clock.Jump(TimeSpan.FromMinutes(5)); // corrected again: 10:01:21; the firings from 10:00:30 were stepped over (skip policy)
        await TickUntil(3, most: 30);
        var scheduled = _sink.Firings.Select(f => f.ScheduledAt).ToList();
        Assert.Equal(scheduled.Distinct().Count(), scheduled.Count);
        Assert.InRange(scheduled[2], Start.AddSeconds(25), Start.AddSeconds(85)); // the schedule goes on: nothing before 10:00:30 again, nothing after 10:01:30 first
        Assert.Equal(0, scheduled[2].Second % 10);
    }

    [Fact]
    public async Task Applying_the_workflows_again_adds_replaces_and_removes_exactly_what_changed()
    {
        await using var scheduler = await StartAsync();
        Assert.Equal(new ScheduleChanges(2, 0, 0, 0), await scheduler.ApplyAsync([Schedules.Every10Seconds("a"), Schedules.Every10Seconds("b")]));
        Assert.Equal(new ScheduleChanges(0, 1, 1, 0), await scheduler.ApplyAsync([Schedules.Every10Seconds("a", cron: "*/20 * * * * *")]));
        Assert.Equal(["a#0"], (await scheduler.NextFireTimesAsync()).Keys);
        Assert.Equal(new ScheduleChanges(0, 0, 0, 1), await scheduler.ApplyAsync([Schedules.Every10Seconds("a", cron: "*/20 * * * * *")]));
        await Tick(16);
        await _sink.WaitForAsync(1);
        Assert.Equal(("a", Start.AddSeconds(15)), (_sink.Firings[0].Workflow, _sink.Firings[0].ScheduledAt));
    }
}
