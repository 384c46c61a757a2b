using Pipeline.Engine.Events;
using Pipeline.Engine.Running;

namespace Pipeline.Engine.Tests;

public sealed class SchedulingTests : IDisposable
{
    private readonly EngineHarness _h = new();
    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Diamond_runs_the_two_middle_tasks_at_the_same_time()
    {
        var run = await _h.RunTasks("""
            [
              { "id": "a", "type": "shell", "command": "true" },
              { "id": "b", "type": "shell", "command": "sleep 0.5", "depends_on": ["a"] },
              { "id": "c", "type": "shell", "command": "sleep 0.5", "depends_on": ["a"] },
              { "id": "d", "type": "shell", "command": "true", "depends_on": ["b", "c"] }
            ]
            """, options: new RunOptions { MaxParallel = 2 });

        Assert.Equal(RunStatus.Succeeded, run.Status);
        var (a, b, c, d) = (run.Task("a"), run.Task("b"), run.Task("c"), run.Task("d"));
        // Recorded times, not wall-clock thresholds: b and c overlap, and each edge is respected.
        Assert.True(b.StartedAt < c.FinishedAt && c.StartedAt < b.FinishedAt, "b and c should overlap");
        Assert.True(a.FinishedAt <= b.StartedAt && a.FinishedAt <= c.StartedAt);
        Assert.True(d.StartedAt >= b.FinishedAt && d.StartedAt >= c.FinishedAt);
    }

    [Fact]
    public async Task Max_parallel_one_never_overlaps_tasks()
    {
        var run = await _h.RunTasks("""
            [
              { "id": "a", "type": "shell", "command": "sleep 0.1" },
              { "id": "b", "type": "shell", "command": "sleep 0.1" },
              { "id": "c", "type": "shell", "command": "sleep 0.1" }
            ]
            """, options: new RunOptions { MaxParallel = 1 });
        var ordered = run.Tasks.OrderBy(t => t.StartedAt).ToList();
        for (var i = 1; i < ordered.Count; i++) Assert.True(ordered[i].StartedAt >= ordered[i - 1].FinishedAt);
    }

    [Fact]
    public async Task Longest_remaining_path_starts_first_when_slots_are_short()
    {
        // One slot; 'short' comes first in the file, but 'long1' heads a chain of three: it must start first.
        var run = await _h.RunTasks("""
            [
              { "id": "short", "type": "shell", "command": "true" },
              { "id": "long1", "type": "shell", "command": "true" },
              { "id": "long2", "type": "shell", "command": "true", "depends_on": ["long1"] },
              { "id": "long3", "type": "shell", "command": "true", "depends_on": ["long2"] }
            ]
            """, options: new RunOptions { MaxParallel = 1 });
        var started = _h.Events.OfType<TaskStarted>().Select(e => e.InstanceId).ToList();
        Assert.Equal("long1", started[0]);
    }

    [Fact]
    public async Task A_failure_skips_dependents_with_the_reason_and_fails_the_run()
    {
        var run = await _h.RunTasks("""
            [
              { "id": "build", "type": "shell", "command": "echo broken >&2; exit 3" },
              { "id": "test", "type": "shell", "command": "true", "depends_on": ["build"] },
              { "id": "cleanup", "type": "shell", "command": "echo cleaned", "depends_on": ["test"], "condition": "always()" }
            ]
            """);
        Assert.Equal(RunStatus.Failed, run.Status);
        var build = run.Task("build");
        Assert.Equal(TaskState.Failed, build.State);
        Assert.Equal(3, build.ExitCode);
        Assert.Contains("broken", build.Error);
        Assert.Equal(TaskState.Skipped, run.Task("test").State);
        Assert.Equal("dependency 'build' failed", run.Task("test").Reason);
        // A finally-style task runs regardless.
        Assert.Equal(TaskState.Succeeded, run.Task("cleanup").State);
        Assert.Contains("cleaned", _h.Lines("cleanup"));
    }

    [Fact]
    public async Task Nothing_new_starts_after_a_failure_but_running_tasks_finish()
    {
        var run = await _h.RunTasks("""
            [
              { "id": "fails", "type": "shell", "command": "exit 1" },
              { "id": "slow", "type": "shell", "command": "sleep 0.5; echo finished" },
              { "id": "later", "type": "shell", "command": "true", "depends_on": ["slow"] }
            ]
            """, options: new RunOptions { MaxParallel = 2 });
        Assert.Equal(TaskState.Succeeded, run.Task("slow").State);
        Assert.Equal(TaskState.Skipped, run.Task("later").State);
        Assert.StartsWith("not started: task 'fails' failed", run.Task("later").Reason);
    }

    [Fact]
    public async Task Continue_on_error_lets_dependents_run_and_the_run_succeed()
    {
        var run = await _h.RunTasks("""
            [
              { "id": "lint", "type": "shell", "command": "exit 1", "continue_on_error": true },
              { "id": "build", "type": "shell", "command": "true", "depends_on": ["lint"] }
            ]
            """);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.True(run.Task("lint").ContinuedOnError);
        Assert.Equal(TaskState.Succeeded, run.Task("build").State);
    }

    [Fact]
    public async Task Condition_false_skips_and_failure_function_sees_upstream_failure()
    {
        var run = await _h.RunTasks("""
            [
              { "id": "a", "type": "shell", "command": "exit 1" },
              { "id": "notify", "type": "shell", "command": "echo notified", "depends_on": ["a"], "condition": "failure()" },
              { "id": "never", "type": "shell", "command": "true", "condition": "env.NOPE == 'yes'" }
            ]
            """, extraFields: "\"environment\": { \"NOPE\": \"no\" }", options: new RunOptions { MaxParallel = 1 });
        Assert.Equal(TaskState.Succeeded, run.Task("notify").State);
        Assert.Equal(TaskState.Skipped, run.Task("never").State);
    }

    [Fact]
    public async Task Fail_fast_cancels_running_tasks()
    {
        var run = await _h.RunTasks("""
            [
              { "id": "fails", "type": "shell", "command": "sleep 0.2; exit 1" },
              { "id": "slow", "type": "shell", "command": "sleep 30" }
            ]
            """, options: new RunOptions { MaxParallel = 2, FailFast = true });
        Assert.Equal(TaskState.Cancelled, run.Task("slow").State);
        Assert.True(run.Task("slow").Duration < TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Critical_path_taken_follows_the_dependency_that_finished_last()
    {
        var run = await _h.RunTasks("""
            [
              { "id": "a", "type": "shell", "command": "true" },
              { "id": "fast", "type": "shell", "command": "true", "depends_on": ["a"] },
              { "id": "slow", "type": "shell", "command": "sleep 0.4", "depends_on": ["a"] },
              { "id": "end", "type": "shell", "command": "true", "depends_on": ["fast", "slow"] }
            ]
            """);
        Assert.Equal(["a", "slow", "end"], run.CriticalPathTaken);
    }
}
