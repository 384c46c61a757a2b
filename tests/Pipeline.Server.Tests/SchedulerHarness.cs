using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Core.Model;
using Pipeline.Server.Schedules;

namespace Pipeline.Server.Tests;

/// <summary>
/// A wall clock that can jump forward and back while the time that timers count (monotonic, as a
/// machine's is) only moves when the test advances it: what an NTP step or a suspended VM does to a
/// server. Built on <see cref="FakeTimeProvider"/>, whose own clock cannot go back.
/// </summary>
internal sealed class JumpingClock(DateTimeOffset start) : TimeProvider
{
    private readonly FakeTimeProvider _monotonic = new(start) { AutoAdvanceAmount = TimeSpan.Zero };
    private TimeSpan _jumped;

    public override DateTimeOffset GetUtcNow() => _monotonic.GetUtcNow() + _jumped;
    public override long GetTimestamp() => _monotonic.GetTimestamp();
    public override long TimestampFrequency => _monotonic.TimestampFrequency;
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => _monotonic.CreateTimer(callback, state, dueTime, period);

    /// <summary>Time passes: the wall clock and the timers move together.</summary>
    public void Advance(TimeSpan by) => _monotonic.Advance(by);

    /// <summary>The wall clock is set forward or back; no time passes for the timers.</summary>
    public void Jump(TimeSpan by) => _jumped += by;
}

/// <summary>Records the firings a scheduler hands over, and waits (in real time, with a deadline) for them.</summary>
internal sealed class RecordingSink : IScheduleSink
{
    private readonly ConcurrentQueue<ScheduleFiring> _firings = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public IReadOnlyList<ScheduleFiring> Firings => [.. _firings];

    public Task FireAsync(ScheduleFiring firing, CancellationToken cancellationToken)
    {
        _firings.Enqueue(firing);
        _arrived.Release();
        return Task.CompletedTask;
    }

    public async Task WaitForAsync(int count, TimeSpan? deadline = null)
    {
        using var cancel = new CancellationTokenSource(deadline ?? TimeSpan.FromSeconds(30));
        while (_firings.Count < count)
        {
            try { await _arrived.WaitAsync(cancel.Token); }
            catch (OperationCanceledException) { throw new TimeoutException($"{_firings.Count} firing(s) of the {count} expected: {string.Join(", ", _firings.Select(f => f.ScheduledAt.ToString("HH:mm:ss")))}"); }
        }
    }
}

internal static class Schedules
{
    public static ScheduleEntry Every10Seconds(string workflow = "tick", MisfirePolicy misfire = MisfirePolicy.Skip, string cron = "*/10 * * * * *") =>
        new(workflow, 0, cron, Pipeline.Scheduling.Cron.QuartzCron.Convert(cron), TimeZoneInfo.Utc, misfire, 0);
}
