using System.Diagnostics;
using Pipeline.Engine.Events;

namespace Pipeline.State.Tests;

/// <summary>The queue in front of the state store's pump: bounded, batched, and ended by completion.</summary>
public class CommitQueueTests
{
    private static TaskOutput Line(int n) => new("e", DateTimeOffset.UtcNow, "t", OutputStream.Stdout, $"line {n}", false);

    [Fact]
    public void A_writer_waits_for_room_and_goes_on_once_a_batch_is_taken()
    {
        var queue = new CommitQueue(capacity: 4, maxBatch: 3);
        for (var i = 0; i < 4; i++) queue.Add(Line(i));
        var fifth = Task.Factory.StartNew(() => queue.Add(Line(4)), TaskCreationOptions.LongRunning);
        Assert.False(fifth.Wait(TimeSpan.FromMilliseconds(200)), "the writer did not wait for room");

        var batch = new List<RunEvent>();
        Assert.True(queue.TakeBatch(batch, lastCommit: 0, TimeSpan.FromHours(1))); // a full batch does not wait for company
        Assert.Equal(["line 0", "line 1", "line 2"], batch.Cast<TaskOutput>().Select(l => l.Line));
        Assert.True(fifth.Wait(TimeSpan.FromSeconds(30)), "the writer was not let go after a batch was taken");

        queue.Complete();
        Assert.True(queue.TakeBatch(batch, Stopwatch.GetTimestamp(), TimeSpan.FromHours(1))); // what is left, at once
        Assert.Equal(["line 3", "line 4"], batch.Cast<TaskOutput>().Select(l => l.Line));
        Assert.False(queue.TakeBatch(batch, 0, TimeSpan.Zero));
        queue.Add(Line(5)); // after completion: dropped, not blocked
        Assert.False(queue.TakeBatch(batch, 0, TimeSpan.Zero));
    }

    [Fact]
    public void A_waiting_pump_takes_the_first_event_and_a_hurry_cuts_its_rest_short()
    {
        var queue = new CommitQueue(capacity: 100, maxBatch: 10);
        var batch = new List<RunEvent>();
        var taken = Task.Factory.StartNew(() => queue.TakeBatch(batch, Stopwatch.GetTimestamp(), TimeSpan.FromHours(1)), TaskCreationOptions.LongRunning);
        queue.Add(Line(1));
        Assert.False(taken.Wait(TimeSpan.FromMilliseconds(200)), "the pump did not wait for company");
        queue.Hurry();
        Assert.True(taken.Wait(TimeSpan.FromSeconds(30)) && taken.Result);
        Assert.Single(batch);
    }
}
