using Pipeline.Core.Model;
using static Pipeline.Core.Tests.TestHelpers;

namespace Pipeline.Core.Tests;

/// <summary>The trigger settings `workflow serve` acts on: misfire, jitter, ignore, poll and a concurrency group.</summary>
public class TriggerReaderTests
{
    private const string Task = """[ { "id": "a", "type": "shell", "command": "x" } ]""";

    [Fact]
    public void A_schedule_reads_its_misfire_policy_and_jitter()
    {
        var w = ReadJson($$"""{ "name": "t", "triggers": [ { "type": "schedule", "config": { "schedule": "0 2 * * *", "misfire": "run_once", "jitter": "30s" } }, { "type": "schedule", "config": { "schedule": "0 3 * * *" } } ], "tasks": {{Task}} }""").Workflow!;
        var first = Assert.IsType<ScheduleTrigger>(w.Triggers[0]);
        Assert.Equal(MisfirePolicy.RunOnce, first.Misfire);
        Assert.Equal(30_000, first.JitterMs);
        var second = Assert.IsType<ScheduleTrigger>(w.Triggers[1]);
        Assert.Equal(MisfirePolicy.Skip, second.Misfire);
        Assert.Equal(0, second.JitterMs);
    }

    [Fact]
    public void An_unknown_misfire_policy_is_reported_with_the_choices()
    {
        var d = Single(Validate($$"""{ "name": "t", "trigger": { "type": "schedule", "config": { "schedule": "0 2 * * *", "misfire": "catch_up" } }, "tasks": {{Task}} }"""), "WF1013");
        Assert.Contains("run_once", d.Message + d.Hint);
    }

    [Fact]
    public void A_file_change_trigger_reads_ignore_globs_and_a_poll_interval()
    {
        var w = ReadJson($$"""{ "name": "t", "trigger": { "type": "file_change", "config": { "paths": ["inbox/**/*.csv"], "ignore": ["inbox/tmp/**"], "poll": "2s", "debounce": "1s" } }, "tasks": {{Task}} }""").Workflow!;
        var t = Assert.IsType<FileChangeTrigger>(w.Triggers[0]);
        Assert.Equal(["inbox/tmp/**"], t.Ignore.Select(i => i.Value));
        Assert.Equal(2000, t.PollMs);
        Assert.Equal(1000, t.DebounceMs);
        Assert.Null(ReadJson($$"""{ "name": "t", "trigger": { "type": "file_change", "config": { "paths": "x/**" } }, "tasks": {{Task}} }""").Workflow!.Triggers.OfType<FileChangeTrigger>().Single().PollMs);
    }

    [Fact]
    public void A_poll_interval_under_100_ms_is_refused()
    {
        var d = Single(Validate($$"""{ "name": "t", "trigger": { "type": "file_change", "config": { "paths": "x/**", "poll": 10 } }, "tasks": {{Task}} }"""), "WF1013");
        Assert.Contains("too short", d.Message);
    }

    [Fact]
    public void Concurrency_is_a_policy_or_a_policy_with_a_group_expression()
    {
        var plain = ReadJson($$"""{ "name": "t", "concurrency": "queue", "tasks": {{Task}} }""").Workflow!;
        Assert.Equal(ConcurrencyPolicy.Queue, plain.Concurrency);
        Assert.Null(plain.ConcurrencyGroup);
        var grouped = ReadJson($$"""{ "name": "t", "concurrency": { "policy": "cancel-previous", "group": "${trigger.payload.ref}" }, "tasks": {{Task}} }""").Workflow!;
        Assert.Equal(ConcurrencyPolicy.CancelPrevious, grouped.Concurrency);
        Assert.Equal("${trigger.payload.ref}", grouped.ConcurrencyGroup!.Value);
        Assert.DoesNotContain(Validate($$"""{ "name": "t", "concurrency": { "policy": "queue", "group": "${trigger.payload.ref}" }, "tasks": {{Task}} }"""), d => d.Severity == Diagnostics.Severity.Error);
    }

    [Fact]
    public void A_concurrency_group_is_checked_like_any_expression()
    {
        var d = Single(Validate($$"""{ "name": "t", "concurrency": { "policy": "queue", "group": "${trigger.payload.ref" }, "tasks": {{Task}} }"""), "WF3010");
        AssertAt(d, 1, 62);
        Assert.Single(Validate($$"""{ "name": "t", "concurrency": { "group": "x" }, "tasks": {{Task}} }"""), e => e.Message.Contains("policy"));
    }
}
